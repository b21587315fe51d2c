import { updateTask as updateTaskRow } from '../../db/task-rows.ts';
import { writeTransaction } from '../../db/write-transaction.ts';
import { ValidationError } from '../../model/errors.ts';
import { recordTaskEvents } from '../task-events.ts';
import { nowOf, type Scope } from '../scope.ts';
import { changedFields, lockTask, taskId } from '../task-commands.ts';
import type { Task } from '../../model/task.ts';
import { planNextInstance } from '../../model/recurrence/next-instance.ts';

/**
 * Moves a pending recurring task to its next occurrence without completing anything: the
 * skipped occurrence counts towards COUNT, and the reminder moves with the due date.
 * @throws LimitExceededError (limit `recurrenceSearch`) when the next occurrence is not within
 * the search for it (see search-limit.ts); the task is left as it was.
 */
export async function skipOccurrence(scope: Scope, id: string): Promise<Task> {
  taskId(id);
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    if (!before.recurrenceRule) {
      throw new ValidationError(
        'id',
        'only a recurring task has occurrences to skip; set a recurrenceRule first',
      );
    }
    if (before.completed) {
      throw new ValidationError(
        'id',
        'the task is completed; its next instance is already on its way',
      );
    }
    const now = nowOf(scope);
    const plan = planNextInstance(before, now, now);
    if (plan.ended) {
      throw new ValidationError(
        'id',
        'this is the last occurrence of its series; complete or delete it instead',
      );
    }
    const task = (await updateTaskRow(trx, scope.userId, id, {
      dueAt: plan.dueAt,
      remindBeforeMinutes: plan.remindBeforeMinutes,
      remindAt: plan.remindAt,
      reminderSentAt: null,
      seriesIndex: before.seriesIndex + 1,
    }))!;
    await recordTaskEvents(trx, { updated: changedFields(before, task) }, [task]);
    return task;
  });
}
