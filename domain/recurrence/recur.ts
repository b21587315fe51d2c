import type { Knex } from 'knex';
import { appendToOutbox } from '../../outbox/append.ts';
import { findTask, insertNextInstance } from '../../db/task-rows.ts';
import { copyTaskTags, tagIdsOfTasks } from '../../db/task-tag-rows.ts';
import { newEvent } from '../../model/events/new-event.ts';
import { recordTaskEvents } from '../task-events.ts';
import { snapshotOf } from '../../model/events/task-snapshot.ts';
import type { Task } from '../../model/task.ts';
import { planNextInstance, type NextInstancePlan } from '../../model/recurrence/next-instance.ts';
import { isSearchLimitError } from '../../model/recurrence/search-limit.ts';

/**
 * What became of a completion of a recurring task. `beyond-search` is a series ended because its
 * next date is not within the search for it (see search-limit.ts).
 */
export type RecurOutcome =
  'created' | 'already-created' | 'series-ended' | 'beyond-search' | 'not-completed';

/** The plan for the next instance, and whether the search limit ended the series. */
function planAfter(completed: Task, now: Date): NextInstancePlan & { beyondSearch?: true } {
  try {
    return planNextInstance(completed, completed.completedAt!, now);
  } catch (error) {
    if (!isSearchLimitError(error)) throw error;
    return { ended: true, beyondSearch: true };
  }
}

/**
 * Creates the next instance of a completed recurring task, in the caller's transaction, and
 * records `task.created` for it and `task.recurred` naming both tasks. Creates nothing when the
 * task has since been reopened or deleted, or already has its next instance (the database
 * allows one per completed task, so a completion delivered twice, or completed, reopened and
 * completed again, yields one instance). A series whose next date is not within the search for
 * it (a rule that occurs too rarely, or never) ends as a series does after its last instance,
 * with `task.recurred` saying so: retrying cannot find a date the search did not.
 * @throws RecurrenceRuleError when the stored rule is invalid (it never passes the API).
 */
export async function recurCompletedTask(
  trx: Knex,
  userId: string,
  taskId: string,
  now = new Date(),
): Promise<RecurOutcome> {
  const completed = await findTask(trx, userId, taskId, { forUpdate: true });
  if (!completed?.completed || !completed.recurrenceRule) return 'not-completed';
  const plan = planAfter(completed, now);
  const tags = await tagIdsOfTasks(trx, userId, [completed.id]);
  const completedSnapshot = snapshotOf(completed, tags.get(completed.id) ?? []);
  if (plan.ended) {
    await recordRecurred(trx, completed, {
      completedTask: completedSnapshot,
      nextTask: null,
      seriesEnded: true,
    });
    return plan.beyondSearch ? 'beyond-search' : 'series-ended';
  }
  const next = await insertNextInstance(trx, {
    userId,
    title: completed.title,
    description: completed.description,
    priority: completed.priority,
    dueAt: plan.dueAt,
    timeZone: completed.timeZone,
    categoryId: completed.categoryId,
    recurrenceRule: completed.recurrenceRule,
    recurrenceAnchor: completed.recurrenceAnchor,
    seriesId: completed.seriesId ?? completed.id,
    seriesIndex: completed.seriesIndex + 1,
    seriesStartAt: completed.seriesStartAt,
    previousTaskId: completed.id,
    remindBeforeMinutes: plan.remindBeforeMinutes,
    remindAt: plan.remindAt,
  });
  if (!next) return 'already-created';
  await copyTaskTags(trx, userId, completed.id, next.id);
  await recordTaskEvents(trx, 'task.created', [next]);
  await recordRecurred(trx, completed, {
    completedTask: completedSnapshot,
    nextTask: snapshotOf(next, tags.get(completed.id) ?? []),
    seriesEnded: false,
  });
  return 'created';
}

async function recordRecurred(
  trx: Knex,
  completed: Task,
  payload: Parameters<typeof newEvent<'task.recurred'>>[3],
): Promise<void> {
  await appendToOutbox(trx, [newEvent('task.recurred', completed.userId, completed.id, payload)]);
}
