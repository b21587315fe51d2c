import { z } from 'zod';
import { writeTransaction } from '../db/write-transaction.ts';
import { CHANNEL_LIMITS } from '../model/channels.ts';
import { ValidationError } from '../model/errors.ts';
import type { Task } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';
import { nowOf, type Scope } from './scope.ts';
import { lockTask, taskId } from './task-commands.ts';
import { writeReminder } from './task-reminders.ts';
import { reportReminderIfFinished } from './delivery-report.ts';

const MINUTE_MS = 60_000;
const MAX = CHANNEL_LIMITS.snoozeMinutesMax;

const snoozeInput = z.object({
  minutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1')
    .max(MAX, `must be at most ${MAX} (one week)`)
    .nullish(),
  until: fields.instant.nullish(),
});

/**
 * Snoozes a task's reminder: it fires again `minutes` from now or at `until` (exactly one; at
 * most a week ahead), through the same channels; after the due date too (an overdue task is
 * what is snoozed most). The reminder becomes an absolute one, armed again even if it was sent. A completed task has nothing to remind of and is refused.
 */
export async function snoozeReminder(
  scope: Scope,
  id: string,
  raw: { minutes?: number | null; until?: Date | null },
): Promise<Task> {
  taskId(id, 'taskId');
  const input = parseInput(snoozeInput, raw);
  const now = nowOf(scope);
  let remindAt: Date;
  if (input.minutes != null && input.until == null) {
    remindAt = new Date(now.getTime() + input.minutes * MINUTE_MS);
  } else if (input.until != null && input.minutes == null) {
    remindAt = input.until;
    if (remindAt.getTime() <= now.getTime()) {
      throw new ValidationError('until', 'until must be in the future');
    }
    if (remindAt.getTime() > now.getTime() + MAX * MINUTE_MS) {
      throw new ValidationError(
        'until',
        `until must be at most ${MAX} minutes (one week) from now; snooze again later, or set a new reminder with setReminder`,
      );
    }
  } else {
    throw new ValidationError(
      'minutes',
      'give exactly one of minutes (from now) or until (a date-time)',
    );
  }
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    if (before.completed) {
      throw new ValidationError(
        'taskId',
        `task ${id} is completed and has no reminder to snooze; reopen it with reopenTask first`,
      );
    }
    return writeReminder(trx, before, { remindBeforeMinutes: null, remindAt });
  });
}

/**
 * Dismisses a task's reminder: removes it (as clearReminder does) and cancels the deliveries of
 * its reminders not yet finished, so no channel is sent it any more. Deliveries of the task's
 * other events (a webhook's task.updated) go on.
 */
export async function dismissReminder(scope: Scope, id: string): Promise<Task> {
  taskId(id, 'taskId');
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    const task = await writeReminder(trx, before, { remindBeforeMinutes: null, remindAt: null });
    const cancelled = (await trx('deliveries')
      .where({ user_id: scope.userId, task_id: id, event_type: 'reminder.due' })
      .whereIn('status', ['pending', 'sending'])
      .update({ status: 'cancelled', next_attempt_at: null, finished_at: trx.fn.now() })
      .returning('event_id')) as { event_id: string }[];
    for (const eventId of new Set(cancelled.map((row) => row.event_id)))
      await reportReminderIfFinished(trx, eventId);
    return task;
  });
}
