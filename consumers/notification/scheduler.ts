import type { Knex } from 'knex';
import { metrics } from '../../server/metrics.ts';
import type { Logger } from '../../server/logger.ts';
import { backoffMs } from '../runtime/backoff.ts';
import { isRetriable } from '../runtime/errors.ts';
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
  private running = false;
  private loop: Promise<void> | undefined;
  /** Set by a wake-up that arrived while awake, so it is not lost. */
  private woken = false;
  private interrupt: (() => void) | undefined;
  private sleepingUntil: Date | undefined;

  private readonly options: ReminderSchedulerOptions;

  constructor(options: ReminderSchedulerOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 100;
    this.maxSleepMs = options.maxSleepMs ?? 30_000;
    this.lateAfterMs = options.lateAfterMs ?? LATE_AFTER_MS;
  }

  /** The reminder time the scheduler is sleeping until, if it is sleeping for one. */
  get nextReminderAt(): Date | undefined {
    return this.sleepingUntil;
  }

  /** Starts scheduling until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the claim in hand and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /**
   * Looks for due reminders and the next reminder time now. Given the reminder time a write set,
   * a scheduler already sleeping until that time or earlier stays asleep.
   */
  wake(remindAt?: Date): void {
    if (remindAt && this.running && this.sleepingUntil && remindAt >= this.sleepingUntil) return;
    this.woken = true;
    this.interrupt?.();
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    let failures = 0;
    let idleSpins = 0;
    while (this.running) {
      let waitMs: number;
      try {
        this.woken = false;
        const claimed = await this.claimAll();
        const next = await nextPendingReminder(this.options.knex);
        failures = 0;
        // A due reminder that no claim could take is locked by a transaction in flight, which
        // soon sends or changes it; polling for it backs off rather than spinning.
        idleSpins = next && next.inMs <= 0 && claimed === 0 ? idleSpins + 1 : 0;
        waitMs = idleSpins > 0 ? backoffMs(idleSpins, 20, 1_000) : (next?.inMs ?? this.maxSleepMs);
        this.sleepingUntil = next?.remindAt;
      } catch (error) {
        failures++;
        waitMs = backoffMs(failures, 100, this.maxSleepMs);
        this.sleepingUntil = undefined;
        const retriable = isRetriable(error);
        logger[retriable ? 'warn' : 'error'](
          { err: error, attempt: failures, wait: Math.round(waitMs), retriable },
          'claiming reminders failed; retrying',
        );
      }
      await this.sleep(Math.min(waitMs, this.maxSleepMs));
      this.sleepingUntil = undefined;
    }
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
      if (claimed.length < this.batchSize || !this.running) return total;
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (this.woken || !this.running || ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.interrupt = done;
    });
    this.interrupt = undefined;
  }
}
