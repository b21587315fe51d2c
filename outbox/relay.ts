import type { Knex } from 'knex';
import type { EventTransport } from '../messaging/transport.ts';
import { SessionListener } from '../db/session-listener.ts';
import type { Logger } from '../lib/logger.ts';
import { metrics } from '../lib/metrics.ts';
import { WakeableLoop } from '../lib/wakeable-loop.ts';
import { deadLetterRefusals } from './dead-letter.ts';
import { OUTBOX_CHANNEL } from './notify-relays.ts';
import { onOutboxCommit } from './wake-after-commit.ts';
import { OUTBOX_RETENTION_MS, pruneSentEvents } from './prune.ts';
import { publishRows, type OutboxRow } from './publish-rows.ts';

/** How the relay runs; the defaults suit production. */
export interface RelayOptions {
  knex: Knex;
  transport: EventTransport;
  logger: Logger;
  /** Rows published per batch (one transaction). */
  batchSize?: number;
  /**
   * The most bytes one publish request carries (keys, values, headers and record overhead);
   * a batch goes out in as many requests as it needs. Keep it under the broker's
   * `max.message.bytes` (1 MB by default): an event larger than this on its own is never sent
   * but dead-lettered. Defaults to {@link DEFAULT_MAX_REQUEST_BYTES}.
   */
  maxRequestBytes?: number;
  /** Poll interval when nothing wakes the relay. */
  pollIntervalMs?: number;
  /**
   * Listen for the NOTIFY that writers in other processes send after committing outbox events
   * (notify-relays.ts) on this URL: a real PostgreSQL reached directly, as
   * LISTEN needs a session (not a transaction-mode pooler). Without it, the relay polls. Writers
   * in this process wake it directly.
   */
  listenUrl?: string;
  /** Sent rows older than this are deleted. */
  retentionMs?: number;
  /** Told after each acknowledged batch when each of its rows was written (for metrics). */
  onPublished?: (writtenAt: Date[], ackedAt: Date) => void;
}

/** 900 KiB: under Kafka's default `max.message.bytes` of 1 MB, with room for framing. */
export const DEFAULT_MAX_REQUEST_BYTES = 900 * 1024;

/** Only one relay publishes at a time, so one task's events leave in commit order. */
const RELAY_LOCK = 0x7e1a_0001;
const PRUNE_EVERY_MS = 60_000;

/**
 * Moves outbox rows to the event transport in batches, in id order, in requests bounded by
 * bytes, and marks them sent only after the broker acknowledged them. An event the broker
 * refuses for what it is (too large, invalid) goes to the dead-letter topic instead, and the
 * rows after it move on. Safe with several instances: an advisory lock lets one publish at a
 * time while the others wait their turn.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly maxRequestBytes: number;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly loop: WakeableLoop;
  private listener: SessionListener | undefined;
  private stopWaking: (() => void) | undefined;
  private lastPrune = 0;

  private readonly options: RelayOptions;

  constructor(options: RelayOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 500;
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
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

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    this.stopWaking?.();
    await this.loop.stop();
    await this.listener?.stop();
    this.listener = undefined;
  }

  /** Looks for new rows now instead of at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Publishes one batch of unsent rows; returns how many it is done with, published or refused
   * (0 when there were none or another relay holds the turn). When a publish fails otherwise,
   * the rows acknowledged before the failure are marked and the error is thrown.
   */
  async relayBatch(): Promise<number> {
    const { knex, transport, logger } = this.options;
    let failure: { error: unknown } | undefined;
    const done = await knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: { locked: boolean }[] }>(
        'SELECT pg_try_advisory_xact_lock(?) AS locked',
        [RELAY_LOCK],
      );
      if (!rows[0]?.locked) return 0;
      const batch: OutboxRow[] = await trx('outbox')
        .whereNull('sent_at')
        .orderBy('id')
        .limit(this.batchSize)
        .select(
          'id',
          'event_id',
          'topic',
          'message_key',
          'event_type',
          'user_id',
          'payload',
          'created_at',
        );
      if (batch.length === 0) return 0;
      const { published, refused, error } = await publishRows(
        transport,
        batch,
        this.maxRequestBytes,
      );
      const letters = await deadLetterRefusals(transport, refused, logger);
      if (error !== undefined || letters.error !== undefined) {
        failure = { error: error ?? letters.error };
      }
      if (published.length > 0) {
        metrics.eventsPublished.inc(published.length);
        this.options.onPublished?.(
          published.map((row) => row.created_at),
          new Date(),
        );
        await trx('outbox')
          .whereIn(
            'id',
            published.map((row) => row.id),
          )
          .update({ sent_at: trx.fn.now() });
      }
      for (const { row, reason } of letters.handled) {
        await trx('outbox')
          .where('id', row.id)
          .update({ sent_at: trx.fn.now(), failed_at: trx.fn.now(), failure_reason: reason });
      }
      return published.length + letters.handled.length;
    });
    if (failure) throw failure.error;
    return done;
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
