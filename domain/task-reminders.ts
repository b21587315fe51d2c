import { z } from 'zod';
import { updateTask as updateTaskRow } from '../server/db/task-rows.js';
import { ValidationError } from './errors.js';
import { explicitReminderTime } from './reminders.js';
import { nowOf, type Scope } from './scope.js';
import { lockTask, taskId } from './task-commands.js';
import type { Task } from './task.js';
import { fields, parseInput } from './validation.js';

const reminderRequest = z.object({
  remindBeforeMinutes: fields.remindBeforeMinutes.nullish(),
  remindAt: z.date().nullish(),
});

/**
 * Sets a task's reminder, either `remindBeforeMinutes` before its due date (it then moves with
 * the due date) or at the absolute time `remindAt`; exactly one must be given. Re-arms a
 * reminder that was already sent.
 */
export async function setReminder(
  scope: Scope,
  id: string,
  raw: { remindBeforeMinutes?: number | null; remindAt?: Date | null },
): Promise<Task> {
  taskId(id, 'taskId');
  const input = parseInput(reminderRequest, raw);
  const minutes = input.remindBeforeMinutes ?? undefined;
  const at = input.remindAt ?? undefined;
  if ((minutes === undefined) === (at === undefined)) {
    throw new ValidationError(
      'remindBeforeMinutes',
      'give exactly one of remindBeforeMinutes (minutes before the due date) or remindAt (a date-time)',
    );
  }
  return scope.db.transaction(async (trx) => {
    const task = await lockTask({ ...scope, db: trx }, id);
    const remindAt = explicitReminderTime(
      minutes !== undefined ? { remindBeforeMinutes: minutes } : { remindAt: at! },
      task.dueAt,
      nowOf(scope),
    );
    return (await updateTaskRow(trx, scope.userId, id, {
      remindBeforeMinutes: minutes ?? null,
      remindAt,
      reminderSentAt: null,
    }))!;
  });
}

/** Removes a task's reminder, including the default one before its due date. */
export async function clearReminder(scope: Scope, id: string): Promise<Task> {
  taskId(id, 'taskId');
  return scope.db.transaction(async (trx) => {
    await lockTask({ ...scope, db: trx }, id);
    return (await updateTaskRow(trx, scope.userId, id, {
      remindBeforeMinutes: null,
      remindAt: null,
      reminderSentAt: null,
    }))!;
  });
}
