import type { Knex } from 'knex';
import { metrics } from '../../lib/metrics.ts';
import type { Logger } from '../../lib/logger.ts';
import { backoffMs } from '../../lib/backoff.ts';
import { WakeableLoop } from '../../lib/wakeable-loop.ts';
import { isRetriable } from '../../messaging/errors.ts';
import {
  claimDueReminders,
  LATE_AFTER_MS,
  nextPendingReminder,
  type ReminderDue,
} from './claim-reminders.ts';

/** How the scheduler runs; the defaults suit production. */
export interface ReminderSchedulerOptions {
  knex: Knex;
  logger: Logger;
  /** Reminders claimed per transaction. */
  batchSize?: number;
  /** The longest sleep, so a missed wake-up or a clock change heals within it. */
  maxSleepMs?: number;
  /** A reminder sent more than this long after its time is marked late. */
  lateAfterMs?: number;
  /** Told after each committed claim (for metrics and tests). */
  onClaimed?: (reminders: ReminderDue[]) => void;
}

/**
 * Sends reminders at their time: claims every due reminder, then sleeps until the next pending
 * one is due (never longer than `maxSleepMs`) or until `wake()` says a write may have moved a
 * reminder earlier. On start it sends at once, marked late, whatever fell due while no scheduler
 * ran. Several schedulers may run over one database; each reminder is claimed exactly once.
 */
export class ReminderScheduler {
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  private readonly lateAfterMs: number;
  private readonly loop: WakeableLoop;
  private sleepingUntil: Date | undefined;
  /** Turns in a row that found a due reminder but could claim none. */
  private idleSpins = 0;

  private readonly options: ReminderSchedulerOptions;

  constructor(options: ReminderSchedulerOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 100;
    this.maxSleepMs = options.maxSleepMs ?? 30_000;
    this.lateAfterMs = options.lateAfterMs ?? LATE_AFTER_MS;
    this.loop = new WakeableLoop({
      turn: () => this.turn(),
      backoffMaxMs: this.maxSleepMs,
      onFailure: (error, attempt, waitMs) => {
        this.sleepingUntil = undefined;
        const retriable = isRetriable(error);
        options.logger[retriable ? 'warn' : 'error'](
          { err: error, attempt, wait: Math.round(waitMs), retriable },
          'claiming reminders failed; retrying',
        );
      },
    });
  }

  /** The reminder time the scheduler is sleeping until, if it is sleeping for one. */
  get nextReminderAt(): Date | undefined {
    return this.sleepingUntil;
  }

  /** Starts scheduling until `stop()`. */
  start(): void {
    this.loop.start();
  }

  /** Finishes the claim in hand and stops. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * Looks for due reminders and the next reminder time now. Given the reminder time a write set,
   * a scheduler already sleeping until that time or earlier stays asleep.
   */
  wake(remindAt?: Date): void {
    if (remindAt && this.loop.isRunning && this.sleepingUntil && remindAt >= this.sleepingUntil)
      return;
    this.loop.wake();
  }

  /** Claims what is due; resolves to how long to sleep until the next reminder. */
  private async turn(): Promise<number> {
    this.sleepingUntil = undefined;
    const claimed = await this.claimAll();
    const next = await nextPendingReminder(this.options.knex);
    // A due reminder that no claim could take is locked by a transaction in flight, which
    // soon sends or changes it; polling for it backs off rather than spinning.
    this.idleSpins = next && next.inMs <= 0 && claimed === 0 ? this.idleSpins + 1 : 0;
    this.sleepingUntil = next?.remindAt;
    const waitMs =
      this.idleSpins > 0 ? backoffMs(this.idleSpins, 20, 1_000) : (next?.inMs ?? this.maxSleepMs);
    return Math.min(waitMs, this.maxSleepMs);
  }

  /** Claims batches until no due reminder is left; returns how many it sent. */
  private async claimAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await claimDueReminders(this.options.knex, {
        limit: this.batchSize,
        lateAfterMs: this.lateAfterMs,
      });
      total += claimed.length;
      if (claimed.length > 0) {
        for (const event of claimed)
          metrics.remindersSent.inc({ late: String(event.payload.late) });
        this.options.onClaimed?.(claimed);
        this.options.logger.info(
          {
            reminders: claimed.length,
            late: claimed.filter((event) => event.payload.late).length,
          },
          'reminders due',
        );
      }
      if (claimed.length < this.batchSize || !this.loop.isRunning) return total;
    }
  }
}
