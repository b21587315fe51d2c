import type { Knex } from 'knex';
import { pino } from 'pino';
import { createTask, type TestUser } from './api.ts';
import type { ReminderDue } from '../consumers/notification/claim-reminders.ts';
import {
  ReminderScheduler,
  type ReminderSchedulerOptions,
} from '../consumers/notification/scheduler.ts';

/** A silent logger for the notification specs. */
export const quiet = pino({ level: 'silent' });

/** The time `ms` from now. */
export const msFromNow = (ms: number) => new Date(Date.now() + ms);

/** Waits `ms`. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a task through the API that reminds at `remindAt`: due ten minutes later, reminding
 * ten minutes before.
 */
export async function createReminderTask(
  user: TestUser,
  remindAt: Date,
  title = 'Remind me',
): Promise<{ id: string; remindAt: string; dueAt: string }> {
  const task = await createTask(user, {
    title,
    dueAt: new Date(remindAt.getTime() + 10 * 60_000).toISOString(),
    remindBeforeMinutes: 10,
  });
  expect(task.remindAt).toBe(remindAt.toISOString());
  return task;
}

/** The `reminder.due` events in the outbox for a task (or all), in the order they were written. */
export async function remindersInOutbox(knex: Knex, taskId?: string): Promise<ReminderDue[]> {
  const query = knex('outbox').where({ event_type: 'reminder.due' }).orderBy('id');
  if (taskId) query.where({ message_key: taskId });
  const rows: { payload: ReminderDue }[] = await query.select('payload');
  return rows.map((row) => row.payload);
}

/** Milliseconds from a reminder's time to when it was fired. */
export const latencyOf = (event: ReminderDue) =>
  Date.parse(event.payload.firedAt) - Date.parse(event.payload.remindAt);

/** Schedulers a spec started; `stopAll` in afterEach stops the ones a failed test left running. */
export function schedulers() {
  const running = new Set<ReminderScheduler>();
  return {
    start(options: Partial<ReminderSchedulerOptions> & { knex: Knex }) {
      const scheduler = new ReminderScheduler({ logger: quiet, ...options });
      scheduler.start();
      running.add(scheduler);
      return scheduler;
    },
    async stop(scheduler: ReminderScheduler) {
      running.delete(scheduler);
      await scheduler.stop();
    },
    async stopAll() {
      await Promise.all([...running].map((scheduler) => scheduler.stop()));
      running.clear();
    },
  };
}
