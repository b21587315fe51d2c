import type { Knex } from 'knex';
import type { EventTransport } from '../messaging/transport.ts';
import { SessionListener } from '../db/session-listener.ts';
import type { Logger } from '../lib/logger.ts';
import { metrics } from '../lib/metrics.ts';
import { WakeableLoop } from '../lib/wakeable-loop.ts';
import { OUTBOX_RETENTION_MS, pruneSentEvents } from './prune.ts';

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
const PRUNE_EVERY_MS = 60_000;

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
  private readonly loop: WakeableLoop;
  private listener: SessionListener | undefined;
  private lastPrune = 0;

  private readonly options: RelayOptions;

  constructor(options: RelayOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionMs = options.retentionMs ?? OUTBOX_RETENTION_MS;
    this.loop = new WakeableLoop({
      turn: () => this.turn(),
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
    this.loop.start();
  }

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.listener?.stop();
    this.listener = undefined;
  }

  /** Looks for new rows now instead of at the next poll. */
  wake(): void {
    this.loop.wake();
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

  /** One turn of the loop: a batch, a prune now and then; at once again after a full batch. */
  private async turn(): Promise<number> {
    const sent = await this.relayBatch();
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await pruneSentEvents(this.options.knex, this.retentionMs);
    }
    return sent === this.batchSize ? 0 : this.pollIntervalMs;
  }
}
