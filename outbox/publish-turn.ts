import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';

/** How long the turn stays with a relay that stopped renewing it. */
export const DEFAULT_TURN_TTL_MS = 1_000;

/**
 * The publishing turn among relay replicas: only its holder claims batches, so one task's events
 * leave in commit order. It is a lease (the one row of `outbox_relay_turn`) rather than a session
 * lock, so it works through a transaction-mode pooler and on the embedded database. The holder
 * renews it with every claim (claim-batch.ts refuses to claim for anyone else) and with `hold()`
 * when it has nothing to claim; when it dies, even by SIGKILL, the lease runs out within `ttlMs`
 * and the next `hold()` of a standby takes it.
 */
export class PublishTurn {
  /** Who this relay is in `outbox_relay_turn.holder`. */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly ttlMs: number;
  private held = false;
  private taken = 0;
  private renewedAt = 0;
  private readonly knex: Knex;
  private readonly logger: Logger;

  constructor(knex: Knex, logger: Logger, ttlMs = DEFAULT_TURN_TTL_MS) {
    this.knex = knex;
    this.logger = logger;
    this.ttlMs = ttlMs;
  }

  /**
   * Keeps the turn, or takes it if its lease ran out; resolves to whether this relay holds it.
   * Renews at most every third of the lease unless `force`.
   */
  async hold(force = false): Promise<boolean> {
    if (!force && this.held && Date.now() - this.renewedAt < this.ttlMs / 3) return true;
    const asked = Date.now();
    const { rows } = await this.knex.raw<{ rows: unknown[] }>(
      `UPDATE outbox_relay_turn
       SET holder = ?, expires_at = now() + make_interval(secs => ?)
       WHERE holder = ? OR expires_at < now()
       RETURNING holder`,
      [this.holder, this.ttlMs / 1000, this.holder],
    );
    const wasHeld = this.held;
    this.held = rows.length > 0;
    if (this.held) this.renewedAt = asked;
    if (this.held && !wasHeld) {
      this.taken++;
      this.logger.info({ holder: this.holder }, 'took the publishing turn');
    } else if (!this.held && wasHeld) {
      this.logger.warn({ holder: this.holder }, 'lost the publishing turn to another relay');
    }
    return this.held;
  }

  /** Records that a claim just renewed the lease (see claim-batch.ts). */
  renewed(at: number): void {
    this.renewedAt = Math.max(this.renewedAt, at);
  }

  /** Whether this relay held the turn when it last looked. */
  get isHeld(): boolean {
    return this.held;
  }

  /**
   * How many times this relay has taken the turn. What it had claimed under an earlier count may
   * have been published again by another relay meanwhile, or not at all.
   */
  get takenCount(): number {
    return this.taken;
  }

  /** Gives the turn up at once, so a standby need not wait for the lease to run out. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.knex
      .raw(`UPDATE outbox_relay_turn SET expires_at = '-infinity' WHERE holder = ?`, [this.holder])
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not give up the publishing turn'),
      );
  }
}
