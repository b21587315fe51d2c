import type { Knex } from 'knex';
import type { ChannelKind } from '../../model/channels.ts';
import type { Logger } from '../../lib/logger.ts';
import { backoffMs } from '../../lib/backoff.ts';
import { metrics } from '../../lib/metrics.ts';
import { WakeableLoop } from '../../lib/wakeable-loop.ts';
import { isRetriable } from '../../messaging/errors.ts';
import { claimDueDeliveries, nextDeliveryInMs } from '../../domain/delivery-claims.ts';
import { recordAttempt, type RecordedAttempt } from '../../domain/delivery-results.ts';
import type { ChannelSender, DeliveryJob, SendResult } from './channel-sender.ts';
import type { DeliveryOptions } from './options.ts';

/** How the dispatcher runs; the defaults suit production. */
export interface DeliveryDispatcherOptions {
  knex: Knex;
  logger: Logger;
  senders: ReadonlyMap<ChannelKind, ChannelSender>;
  options: Pick<DeliveryOptions, 'retryScheduleMs' | 'leaseMs' | 'disableAfterMs'>;
  /** Deliveries in flight at most. */
  concurrency?: number;
  /** The longest sleep, so deliveries replayed through the API are picked up within it. */
  pollIntervalMs?: number;
  /** Told after each try is recorded (for tests). */
  onRecorded?: (job: DeliveryJob, result: SendResult, recorded: RecordedAttempt) => void;
}

/** Tries to record a result before giving it up to the lease. */
const RECORD_TRIES = 5;

/**
 * Sends due deliveries: claims as many as it has free slots, sends each through the sender of
 * its channel's kind, records each result as it comes and claims more as slots free. Between
 * turns it sleeps until the next delivery is due, never longer than `pollIntervalMs`, or until
 * `wake()` (new deliveries were fanned out). Several dispatchers may run over one database; a
 * claim is exclusive, and a dispatcher that dies leaves its deliveries to be taken again when
 * their lease ends.
 */
export class DeliveryDispatcher {
  private readonly config: DeliveryDispatcherOptions;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly loop: WakeableLoop;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: DeliveryDispatcherOptions) {
    this.config = options;
    this.concurrency = options.concurrency ?? 32;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.loop = new WakeableLoop({
      turn: () => this.turn(),
      backoffMaxMs: this.pollIntervalMs * 10,
      onFailure: (error, attempt, waitMs) => {
        const retriable = isRetriable(error);
        options.logger[retriable ? 'warn' : 'error'](
          { err: error, attempt, wait: Math.round(waitMs), retriable },
          'claiming deliveries failed; retrying',
        );
      },
    });
  }

  /** Deliveries being sent now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Starts dispatching until `stop()`. */
  start(): void {
    this.loop.start();
  }

  /** Looks for due deliveries now. */
  wake(): void {
    this.loop.wake();
  }

  /** Stops claiming, and finishes and records the deliveries in flight. */
  async stop(): Promise<void> {
    await this.loop.stop();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async turn(): Promise<number> {
    for (;;) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0 || !this.loop.isRunning) break;
      const jobs = await claimDueDeliveries(this.config.knex, {
        limit: free,
        leaseMs: this.config.options.leaseMs,
      });
      for (const job of jobs) this.dispatch(job as DeliveryJob);
      if (jobs.length < free) break;
    }
    // A full house waits for a slot: each finished delivery wakes the loop.
    if (this.inFlight.size >= this.concurrency) return this.pollIntervalMs;
    const next = await nextDeliveryInMs(this.config.knex);
    return Math.max(0, Math.min(next ?? this.pollIntervalMs, this.pollIntervalMs));
  }

  private dispatch(job: DeliveryJob): void {
    const running = this.deliver(job).finally(() => {
      this.inFlight.delete(running);
      this.loop.wake();
    });
    this.inFlight.add(running);
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    const { logger } = this.config;
    const result = await this.send(job);
    for (let attempt = 1; ; attempt++) {
      try {
        const recorded = await recordAttempt(this.config.knex, job, result, this.config.options);
        this.count(job, result, recorded);
        this.config.onRecorded?.(job, result, recorded);
        return;
      } catch (error) {
        if (attempt >= RECORD_TRIES) {
          // The lease ends and the delivery is tried again; receivers drop the repeat by its id.
          logger.error({ err: error, delivery: job.deliveryId }, 'recording a delivery failed');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 100, 2_000)));
      }
    }
  }

  private async send(job: DeliveryJob): Promise<SendResult> {
    const sender = this.config.senders.get(job.channel.kind);
    if (!sender) {
      return {
        outcome: 'failed',
        statusCode: null,
        error: `${job.channel.kind} channels are not configured on this delivery service`,
        durationMs: 0,
      };
    }
    try {
      return await sender.send(job);
    } catch (error) {
      this.config.logger.error({ err: error, delivery: job.deliveryId }, 'a sender threw');
      return {
        outcome: 'retry',
        statusCode: null,
        error: error instanceof Error ? error.message : String(error),
        durationMs: 0,
      };
    }
  }

  private count(job: DeliveryJob, result: SendResult, recorded: RecordedAttempt): void {
    if (!recorded.recorded) return;
    const channel = job.channel.kind;
    if (recorded.status === 'pending') metrics.deliveryRetries.inc({ channel });
    else if (recorded.status) metrics.deliveries.inc({ channel, outcome: recorded.status });
    if (recorded.disabledReason) metrics.channelsDisabled.inc({ channel });
    if (result.outcome === 'delivered' && job.event.type === 'reminder.due') {
      const remindAt = Date.parse(job.event.payload.remindAt);
      metrics.deliveryLatency.observe({ channel }, (Date.now() - remindAt) / 1000);
    }
  }
}
