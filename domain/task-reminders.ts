import type { Knex } from 'knex';
import { z } from 'zod';
import { updateTask as updateTaskRow } from '../db/task-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { ValidationError } from '../model/errors.ts';
import { explicitReminderTime } from '../model/reminders.ts';
import { nowOf, type Scope } from './scope.ts';
import { recordTaskEvents } from './task-events.ts';
import { changedFields, lockTask, onlyChanges, taskId } from './task-commands.ts';
import type { Task } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';

const reminderRequest = z.object({
  remindBeforeMinutes: fields.remindBeforeMinutes.nullish(),
  remindAt: fields.instant.nullish(),
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
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    const remindAt = explicitReminderTime(
      minutes !== undefined ? { remindBeforeMinutes: minutes } : { remindAt: at! },
      before.dueAt,
      nowOf(scope),
    );
    return writeReminder(trx, before, { remindBeforeMinutes: minutes ?? null, remindAt });
  });
}

/** Removes a task's reminder, including the default one before its due date; none is no change. */
export async function clearReminder(scope: Scope, id: string): Promise<Task> {
  taskId(id, 'taskId');
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    return writeReminder(trx, before, { remindBeforeMinutes: null, remindAt: null });
  });
}

/**
 * Stores a task's reminder, armed (not yet sent), and records the change; a reminder that is
 * already so is left alone, without a new version. `before` must be locked in `trx`.
 */
export async function writeReminder(
  trx: Knex,
  before: Task,
  reminder: { remindBeforeMinutes: number | null; remindAt: Date | null },
): Promise<Task> {
  const changes = onlyChanges(before, { ...reminder, reminderSentAt: null });
  if (Object.keys(changes).length === 0) return before;
  const task = (await updateTaskRow(trx, before.userId, before.id, changes))!;
  await recordTaskEvents(trx, { updated: changedFields(before, task) }, [task]);
  return task;
}
