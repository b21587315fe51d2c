import type { Knex } from 'knex';
import type { EventTransport } from '../messaging/transport.ts';
import { SessionListener } from '../db/session-listener.ts';
import type { Logger } from '../lib/logger.ts';
import { metrics } from '../lib/metrics.ts';
import { WakeableLoop } from '../lib/wakeable-loop.ts';
import { claimBatch, unackedBatches, type ClaimBounds, type ClaimedBatch } from './claim-batch.ts';
import { deadLetterRefusals } from './dead-letter.ts';
import { markBatchSent } from './mark-sent.ts';
import { OUTBOX_CHANNEL } from './notify-relays.ts';
import { onOutboxCommit } from './wake-after-commit.ts';
import { OUTBOX_RETENTION_MS, pruneSentEvents } from './prune.ts';
import { publishRows } from './publish-rows.ts';
import { PublishTurn } from './publish-turn.ts';

/** How the relay runs; the defaults suit production. */
export interface RelayOptions {
  knex: Knex;
  transport: EventTransport;
  logger: Logger;
  /** Rows claimed per batch; defaults to {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
  /**
   * Payload bytes claimed per batch, as each event's writer measured it (the oldest row is
   * claimed even when it alone is larger); with the next batch claimed while one is published,
   * the relay holds about twice this. Defaults to {@link DEFAULT_MAX_BATCH_BYTES}.
   */
  maxBatchBytes?: number;
  /**
   * The most bytes one publish request carries (keys, values, headers and record overhead);
   * a batch goes out in as many requests as it needs. Keep it under the broker's
   * `max.message.bytes` (1 MB by default): an event larger than this on its own is never sent
   * but dead-lettered. Defaults to {@link DEFAULT_MAX_REQUEST_BYTES}.
   */
  maxRequestBytes?: number;
  /** Poll interval when nothing wakes the relay. */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the publishing turn. */
  standbyPollMs?: number;
  /**
   * How long the publishing turn stays with a relay that stopped renewing it (publish-turn.ts):
   * a standby takes over this long after the holder died.
   */
  turnTtlMs?: number;
  /**
   * Listen for the NOTIFY that writers in other processes send after committing outbox events
   * (notify-relays.ts) on this URL: a real PostgreSQL reached directly, as
   * LISTEN needs a session (not a transaction-mode pooler). Without it, the relay polls. Writers
   * in this process wake it directly.
   */
  listenUrl?: string;
  /** Sent rows older than this are deleted. */
  retentionMs?: number;
  /** Told after each acknowledged request when each of its rows was written (for metrics). */
  onPublished?: (writtenAt: Date[], ackedAt: Date) => void;
}

/**
 * 2,000 rows: a backlog of 100,000 events drained at 7,600/s against 5,000-6,000/s with 500
 * (2-core machine, `node bench/pipeline.ts` drain, alternating runs); 5,000 added little.
 */
export const DEFAULT_BATCH_SIZE = 2_000;

/** 8 MiB: about 10,000 ordinary events, or 200 of the largest (a 10,000-character description). */
export const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** 900 KiB: under Kafka's default `max.message.bytes` of 1 MB, with room for framing. */
export const DEFAULT_MAX_REQUEST_BYTES = 900 * 1024;

const PRUNE_EVERY_MS = 60_000;
/** Batches claimed ahead of the one being published. */
const CLAIM_AHEAD = 1;
/** A `queueTurn` no turn has: the next `holdTurn()` reads the queue from the database. */
const QUEUE_UNKNOWN = -1;

/**
 * Moves outbox rows to the event transport. The relay holding the publishing turn claims the
 * oldest unclaimed rows as a batch (numbering its users' task events, see claim-batch.ts),
 * publishes the batch in requests bounded by bytes while it claims the next one, and marks the
 * batch sent once the broker acknowledged all of it; no database transaction stays open across
 * a Kafka round trip. An event the broker refuses for what it is (too large, invalid) goes to
 * the dead-letter topic instead and the others move on. Other replicas stand by and take the
 * turn when its holder's session ends, publishing again what it had claimed but not finished.
 */
export class OutboxRelay {
  private readonly bounds: ClaimBounds;
  private readonly maxRequestBytes: number;
  private readonly pollIntervalMs: number;
  private readonly standbyPollMs: number;
  private readonly retentionMs: number;
  private readonly loop: WakeableLoop;
  private readonly turn: PublishTurn;
  /** Claimed batches not yet acknowledged, in claim order; the first is being published. */
  private queue: ClaimedBatch[] = [];
  /** The turn's `takenCount` the queue belongs to; when it changes, the queue is read again. */
  private queueTurn = 0;
  private listener: SessionListener | undefined;
  private stopWaking: (() => void) | undefined;
  private lastPrune = 0;

  private readonly options: RelayOptions;

  constructor(options: RelayOptions) {
    this.options = options;
    this.bounds = {
      rows: options.batchSize ?? DEFAULT_BATCH_SIZE,
      payloadBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
    };
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.standbyPollMs = options.standbyPollMs ?? 250;
    this.retentionMs = options.retentionMs ?? OUTBOX_RETENTION_MS;
    this.turn = new PublishTurn(options.knex, options.logger, options.turnTtlMs);
    this.loop = new WakeableLoop({
      turn: () => this.loopTurn(),
      backoffBaseMs: 200,
      backoffMaxMs: 5_000,
      onFailure: (error, failures) =>
        options.logger.warn({ err: error, failures }, 'outbox relay could not publish; retrying'),
      onRecovery: (failures) => options.logger.info({ failures }, 'outbox relay recovered'),
    });
  }

  /** Starts relaying until `stop()`. */
  async start(): Promise<void> {
    if (this.loop.isRunning) return;
    const { listenUrl, knex, logger } = this.options;
    this.stopWaking = onOutboxCommit(knex, () => this.wake());
    if (listenUrl) {
      this.listener = new SessionListener({
        url: listenUrl,
        channel: OUTBOX_CHANNEL,
        knex,
        logger,
        onNotify: () => this.wake(),
      });
      await this.listener.start();
    }
    this.loop.start();
  }

  /** Finishes the request in hand, gives up the publishing turn and stops. */
  async stop(): Promise<void> {
    this.stopWaking?.();
    await this.loop.stop();
    await this.listener?.stop();
    this.listener = undefined;
    await this.turn.release();
  }

  /**
   * Looks for new rows now instead of at the next poll, if this relay holds the publishing turn.
   * A standby keeps to its own poll for the turn: woken by every commit, each standby would send
   * a statement per write for nothing.
   */
  wake(): void {
    if (this.turn.isHeld) this.loop.wake();
  }

  /** Whether this relay holds the publishing turn now. */
  get holdsTurn(): boolean {
    return this.turn.isHeld;
  }

  /**
   * Publishes what this relay has in hand, or else one newly claimed batch, to the end; resolves
   * to how many rows it is done with, published or refused (0 when there were none or another
   * relay holds the turn). When a publish fails otherwise, the error is thrown and the rest of
   * the batch stays in hand for the next call.
   */
  async relayBatch(): Promise<number> {
    if (!(await this.holdTurn())) return 0;
    if (this.queue.length === 0) await this.claim();
    let done = 0;
    while (this.queue.length > 0) done += await this.publishFirst();
    return done;
  }

  /**
   * Takes or keeps the turn; on taking it, or after a claim whose outcome is unknown, loads the
   * batches claimed but never acknowledged (by a former holder, or by this relay).
   */
  private async holdTurn(): Promise<boolean> {
    if (!(await this.turn.hold())) {
      this.queue = [];
      return false;
    }
    if (this.queueTurn !== this.turn.takenCount) {
      this.queue = await unackedBatches(this.options.knex);
      this.queueTurn = this.turn.takenCount;
      if (this.queue.length > 0) {
        const rows = this.queue.reduce((sum, batch) => sum + batch.rows.length, 0);
        this.options.logger.info(
          { batches: this.queue.length, rows },
          'publishing again the batches claimed but not acknowledged',
        );
      }
    }
    return true;
  }

  private async claim(): Promise<void> {
    const asked = Date.now();
    const batch = await claimBatch(this.options.knex, this.turn, this.bounds).catch(
      (error: unknown) => {
        // The claim may have committed and only its answer been lost (a crash of PostgreSQL, a
        // cut connection): read the unacknowledged batches again before claiming anything more.
        this.queueTurn = QUEUE_UNKNOWN;
        throw error;
      },
    );
    if (!batch) return;
    this.turn.renewed(asked);
    this.queue.push(batch);
  }

  /**
   * Publishes the first batch in hand and marks it sent; returns how many rows it finished.
   * Rows the broker acknowledged leave the batch at once, so a retry sends only the rest.
   */
  private async publishFirst(): Promise<number> {
    const { transport, logger, knex } = this.options;
    const batch = this.queue[0]!;
    const { published, refused, error } = await publishRows(
      transport,
      batch.rows,
      this.maxRequestBytes,
    );
    if (published.length > 0) {
      metrics.eventsPublished.inc(published.length);
      this.options.onPublished?.(
        published.map((row) => row.created_at),
        new Date(),
      );
    }
    const letters = await deadLetterRefusals(transport, refused, logger);
    const finished = new Set([...published, ...letters.handled.map((letter) => letter.row)]);
    batch.rows = batch.rows.filter((row) => !finished.has(row));
    if (letters.handled.length > 0 || batch.rows.length === 0) {
      await markBatchSent(knex, batch.rows.length === 0 ? batch.batch : undefined, letters.handled);
    }
    if (error !== undefined || letters.error !== undefined) throw error ?? letters.error;
    this.queue.shift();
    return finished.size;
  }

  /**
   * One turn of the loop: while the first batch in hand is published, the next is claimed. Runs
   * again at once while there is work, else at the next poll.
   */
  private async loopTurn(): Promise<number> {
    if (!(await this.holdTurn())) {
      this.lastPrune = 0;
      return this.standbyPollMs;
    }
    const claiming = this.queue.length <= CLAIM_AHEAD ? this.claim() : undefined;
    const publishing = this.queue.length > 0 ? this.publishFirst() : undefined;
    const [claimed, sent] = await Promise.allSettled([claiming, publishing]);
    if (sent.status === 'rejected') throw sent.reason;
    if (claimed.status === 'rejected') throw claimed.reason;
    await this.pruneNowAndThen();
    if (this.queue.length > 0) return 0;
    // The holder renews its turn at least three times a lease, even with nothing to publish.
    return Math.min(this.pollIntervalMs, this.turn.ttlMs / 3);
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await pruneSentEvents(this.options.knex, this.retentionMs);
  }
}
