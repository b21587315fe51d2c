import type { Knex } from 'knex';
import type { EventTransport } from '../../messaging/transport.ts';
import { SessionListener } from '../db/session-listener.ts';
import type { Logger } from '../logger.ts';
import { metrics } from '../metrics.ts';

/** How the relay runs; the defaults suit production. */
export interface RelayOptions {
  knex: Knex;
  transport: EventTransport;
  logger: Logger;
  /** Rows published per batch. */
  batchSize?: number;
  /** Poll interval when nothing wakes the relay. */
  pollIntervalMs?: number;
  /**
   * Listen for the outbox trigger's NOTIFY on this URL: a real PostgreSQL reached directly, as
   * LISTEN needs a session (not a transaction-mode pooler). Without it, the relay polls.
   */
  listenUrl?: string;
  /** Sent rows older than this are deleted. */
  retentionMs?: number;
  /** Told after each acknowledged batch when each of its rows was written (for metrics). */
  onPublished?: (writtenAt: Date[], ackedAt: Date) => void;
}

/** Only one relay publishes at a time, so one task's events leave in commit order. */
const RELAY_LOCK = 0x7e1a_0001;
const MAX_BACKOFF_MS = 5_000;

interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  payload: unknown;
  created_at: Date;
}

/**
 * Moves outbox rows to the event transport in batches, in id order, and marks them sent only
 * after the broker acknowledged them. Safe with several instances: an advisory lock lets one
 * publish at a time while the others wait their turn.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** Set by a wake-up that arrived while a batch was in hand, so it is not lost. */
  private woken = false;
  private listener: SessionListener | undefined;
  private lastPrune = 0;

  private readonly options: RelayOptions;

  constructor(options: RelayOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
  }

  /** Starts relaying until `stop()`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { listenUrl, knex, logger } = this.options;
    if (listenUrl) {
      this.listener = new SessionListener({
        url: listenUrl,
        channel: 'outbox_rows',
        knex,
        logger,
        onNotify: () => this.wake(),
      });
      await this.listener.start();
    }
    this.loop = this.run();
  }

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.listener?.stop();
    this.listener = undefined;
  }

  /** Looks for new rows now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Publishes one batch of unsent rows; returns how many were sent (0 when there were none or
   * another relay holds the turn).
   */
  async relayBatch(): Promise<number> {
    const { knex, transport } = this.options;
    return knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: { locked: boolean }[] }>(
        'SELECT pg_try_advisory_xact_lock(?) AS locked',
        [RELAY_LOCK],
      );
      if (!rows[0]?.locked) return 0;
      const batch: OutboxRow[] = await trx('outbox')
        .whereNull('sent_at')
        .orderBy('id')
        .limit(this.batchSize)
        .select('id', 'event_id', 'topic', 'message_key', 'event_type', 'payload', 'created_at');
      if (batch.length === 0) return 0;
      await transport.publish(
        batch.map((row) => ({
          topic: row.topic,
          key: row.message_key,
          value: JSON.stringify(row.payload),
          headers: { 'event-id': row.event_id, 'event-type': row.event_type },
        })),
      );
      metrics.eventsPublished.inc(batch.length);
      this.options.onPublished?.(
        batch.map((row) => row.created_at),
        new Date(),
      );
      await trx('outbox')
        .whereIn(
          'id',
          batch.map((row) => row.id),
        )
        .update({ sent_at: trx.fn.now() });
      return batch.length;
    });
  }

  /** Deletes sent rows older than the retention period; returns how many. */
  async prune(): Promise<number> {
    return this.options
      .knex('outbox')
      .whereNotNull('sent_at')
      .where('sent_at', '<', new Date(Date.now() - this.retentionMs))
      .delete();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.relayBatch();
        if (failures > 0) this.options.logger.info({ failures }, 'outbox relay recovered');
        failures = 0;
        if (Date.now() - this.lastPrune > 60_000) {
          this.lastPrune = Date.now();
          await this.prune();
        }
      } catch (error) {
        failures += 1;
        this.options.logger.warn(
          { err: error, failures },
          'outbox relay could not publish; retrying',
        );
      }
      if (sent === this.batchSize && failures === 0) continue;
      const backoff = failures
        ? Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures) * (0.5 + Math.random() / 2)
        : this.pollIntervalMs;
      await this.sleep(backoff, failures === 0);
    }
  }

  /** Waits `ms`, or less when woken and `interruptible` (never while backing off). */
  private async sleep(ms: number, interruptible: boolean): Promise<void> {
    if (interruptible && this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (!interruptible) return;
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    this.woken = false;
  }
}
