import { randomUUID } from 'node:crypto';
import { withConstraintErrors } from '../db/constraint-errors.ts';
import {
  deleteTask as deleteTaskRow,
  detachNextInstances,
  findNextInstances,
  findTask,
  findTaskByIdempotencyKey,
  insertTask,
  lockTasks,
  updateTask as updateTaskRow,
  type TaskValues,
} from '../db/task-rows.ts';
import { addTaskTags, removeTaskTags, tagIdsOfTasks, touchTasks } from '../db/task-tag-rows.ts';
import { writeStatement, writeTransaction } from '../db/write-transaction.ts';
import { insertTaskWithEvent, recordTaskEvents } from './task-events.ts';
import { NotFoundError, ValidationError } from '../model/errors.ts';
import {
  DEFAULT_REMIND_BEFORE_MINUTES,
  explicitReminderTime,
  relativeReminderTime,
} from '../model/reminders.ts';
import { nowOf, type Scope } from './scope.ts';
import {
  createTaskInput,
  updateTaskInput,
  type CreateTaskInput,
  type UpdateTaskInput,
} from '../model/task-input.ts';
import type { Task } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';

/** Parses a task id, or refuses it as a ValidationError on `field`. */
export function taskId(id: string, field = 'id'): string {
  return parseInput(fields.id('task'), id, field);
}

/** The user's task, locked for the rest of the transaction; NotFoundError otherwise. */
export async function lockTask(scope: Scope, id: string): Promise<Task> {
  const task = await findTask(scope.db, scope.userId, id, { forUpdate: true });
  if (!task) throw new NotFoundError('Task', id);
  return task;
}

/** Creates a task (with its tags, atomically); a repeated idempotency key returns the first task. */
export async function createTask(scope: Scope, raw: CreateTaskInput): Promise<Task> {
  const input = parseInput(createTaskInput, raw, 'input');
  const now = nowOf(scope);
  if (input.idempotencyKey) {
    const existing = await findTaskByIdempotencyKey(scope.db, scope.userId, input.idempotencyKey);
    if (existing) return existing;
  }
  const dueAt = input.dueAt ?? null;
  const remindBeforeMinutes =
    input.remindBeforeMinutes ?? (dueAt ? DEFAULT_REMIND_BEFORE_MINUTES : null);
  const remindAt =
    input.remindBeforeMinutes != null
      ? explicitReminderTime({ remindBeforeMinutes: input.remindBeforeMinutes }, dueAt, now)
      : dueAt && relativeReminderTime(dueAt, DEFAULT_REMIND_BEFORE_MINUTES, now);
  const id = randomUUID();
  const values = {
    id,
    userId: scope.userId,
    title: input.title,
    description: input.description ?? null,
    priority: input.priority ?? 'medium',
    dueAt,
    timeZone: input.timeZone ?? 'UTC',
    categoryId: input.categoryId ?? null,
    recurrenceRule: input.recurrenceRule ?? null,
    recurrenceAnchor: input.recurrenceAnchor ?? 'due_date',
    seriesId: input.recurrenceRule ? id : null,
    seriesStartAt: input.recurrenceRule ? dueAt : null,
    remindBeforeMinutes,
    remindAt,
    idempotencyKey: input.idempotencyKey ?? null,
  } as const;
  const categoryId = input.categoryId ?? '';
  const tagIds = input.tagIds ?? [];
  try {
    // Without tags, the task and its event are one statement: a quarter of the round trips of
    // a transaction, and the most common write (see insertTaskWithEvent).
    if (tagIds.length === 0) {
      return await writeStatement(scope.db, () =>
        withConstraintErrors(() => insertTaskWithEvent(scope.db, values), categoryId),
      );
    }
    return await writeTransaction(scope.db, async (trx) => {
      const task = await withConstraintErrors(() => insertTask(trx, values), categoryId);
      await attachTags(trx, scope.userId, task.id, tagIds);
      await recordTaskEvents(trx, 'task.created', [task]);
      return task;
    });
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'tasks_user_idempotency_key_unique') {
      const winner = await findTaskByIdempotencyKey(scope.db, scope.userId, input.idempotencyKey!);
      if (winner) return winner;
    }
    throw error;
  }
}

async function attachTags(
  db: Scope['db'],
  userId: string,
  taskId: string,
  tagIds: string[],
): Promise<void> {
  for (const tagId of tagIds) {
    await withConstraintErrors(() => addTaskTags(db, userId, taskId, [tagId]), tagId);
  }
}

/** The reminder columns after a change of due date or reminder offset. */
function rearmReminder(
  task: Task,
  input: { dueAt?: Date | null; remindBeforeMinutes?: number | null },
  now: Date,
): TaskValues {
  const dueAt = input.dueAt === undefined ? task.dueAt : input.dueAt;
  if (input.remindBeforeMinutes === null) return { remindBeforeMinutes: null, remindAt: null };
  if (input.remindBeforeMinutes !== undefined) {
    return {
      remindBeforeMinutes: input.remindBeforeMinutes,
      remindAt: explicitReminderTime(
        { remindBeforeMinutes: input.remindBeforeMinutes },
        dueAt,
        now,
      ),
    };
  }
  if (input.dueAt === undefined || dueAt?.getTime() === task.dueAt?.getTime()) return {};
  if (task.remindBeforeMinutes !== null || (task.dueAt === null && task.remindAt === null)) {
    const minutes = task.remindBeforeMinutes ?? DEFAULT_REMIND_BEFORE_MINUTES;
    return dueAt
      ? { remindBeforeMinutes: minutes, remindAt: relativeReminderTime(dueAt, minutes, now) }
      : { remindBeforeMinutes: null, remindAt: null };
  }
  if (task.remindAt && dueAt && task.remindAt.getTime() > dueAt.getTime()) {
    throw new ValidationError(
      'input.dueAt',
      `the new due date is before the task's reminder (${task.remindAt.toISOString()}); change the reminder with setReminder first, or clear it`,
    );
  }
  return {};
}

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date
    ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime()
    : a === b;

/** The given values that differ from the task's, so an update that changes nothing writes nothing. */
export function onlyChanges(task: Task, values: TaskValues): TaskValues {
  return Object.fromEntries(
    Object.entries(values).filter(
      ([key, value]) => value !== undefined && !sameValue(task[key as keyof Task], value),
    ),
  );
}

/** The fields whose values differ between two versions of a task. */
export function changedFields(before: Task, after: Task, tagsChanged = false): string[] {
  const changed = (Object.keys(after) as (keyof Task)[]).filter(
    (key) => !['updatedAt', 'version'].includes(key) && !sameValue(before[key], after[key]),
  );
  return tagsChanged ? [...changed, 'tagIds'] : changed;
}

/** Applies a partial update; tags given replace the task's tags. */
export async function updateTask(
  scope: Scope,
  id: string,
  raw: UpdateTaskInput,
): Promise<{ task: Task; changed: string[] }> {
  taskId(id);
  const input = parseInput(updateTaskInput, raw, 'input');
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    const values: TaskValues = {
      title: input.title ?? undefined,
      description: input.description,
      priority: input.priority ?? undefined,
      dueAt: input.dueAt,
      timeZone: input.timeZone ?? undefined,
      categoryId: input.categoryId,
      recurrenceRule: input.recurrenceRule,
      recurrenceAnchor: input.recurrenceAnchor ?? undefined,
      ...rearmReminder(before, input, nowOf(scope)),
    };
    if (input.recurrenceRule && !before.seriesId) values.seriesId = before.id;
    const ruleAfter =
      input.recurrenceRule === undefined ? before.recurrenceRule : input.recurrenceRule;
    if (!ruleAfter) values.seriesStartAt = null;
    else if (input.dueAt !== undefined || input.recurrenceRule !== undefined) {
      // A new due date or rule re-anchors the series on the task's due date.
      values.seriesStartAt = input.dueAt === undefined ? before.dueAt : input.dueAt;
    }
    if (
      values.remindAt !== undefined &&
      values.remindAt?.getTime() !== before.remindAt?.getTime()
    ) {
      values.reminderSentAt = null;
    }
    const changes = onlyChanges(before, values);
    const hasValues = Object.keys(changes).length > 0;
    let task = hasValues
      ? (await withConstraintErrors(
          () => updateTaskRow(trx, scope.userId, id, changes),
          input.categoryId ?? '',
        ))!
      : before;
    let tagsChanged = false;
    if (input.tagIds !== undefined) {
      const wanted = input.tagIds ?? [];
      const removed = await removeTaskTags(trx, scope.userId, id, 'all');
      await attachTags(trx, scope.userId, id, wanted);
      tagsChanged =
        removed.length !== wanted.length || removed.some((tag) => !wanted.includes(tag));
      if (tagsChanged && !hasValues) task = (await touchTasks(trx, scope.userId, [id]))[0]!;
    }
    const changed = changedFields(before, task, tagsChanged);
    await recordTaskEvents(trx, { updated: changed }, [task]);
    return { task, changed };
  });
}

/** Marks a task completed; completing a completed task changes nothing. */
export async function completeTask(
  scope: Scope,
  id: string,
): Promise<{ task: Task; changed: boolean }> {
  taskId(id);
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    if (before.completed) return { task: before, changed: false };
    const task = (await updateTaskRow(trx, scope.userId, id, {
      completed: true,
      completedAt: nowOf(scope),
    }))!;
    await recordTaskEvents(trx, 'task.completed', [task]);
    return { task, changed: true };
  });
}

/** Marks a completed task pending again; reopening a pending task changes nothing. */
export async function reopenTask(
  scope: Scope,
  id: string,
): Promise<{ task: Task; changed: boolean }> {
  taskId(id);
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockTask({ ...scope, db: trx }, id);
    if (!before.completed) return { task: before, changed: false };
    const task = (await updateTaskRow(trx, scope.userId, id, {
      completed: false,
      completedAt: null,
    }))!;
    await recordTaskEvents(trx, 'task.reopened', [task]);
    return { task, changed: true };
  });
}

const nextInstanceIds = async (trx: Scope['db'], userId: string, id: string) =>
  (await findNextInstances(trx, userId, [id])).map((task) => task.id);

/**
 * Deletes a task (its tags go with it) and returns it as it was. Its next instance, if it has
 * one, no longer points at it: that is a change of the instance, locked and recorded as well.
 */
export async function deleteTask(scope: Scope, id: string): Promise<Task> {
  taskId(id);
  const { userId } = scope;
  return writeTransaction(scope.db, async (trx) => {
    const locked = await lockTasks(trx, userId, [id, ...(await nextInstanceIds(trx, userId, id))]);
    if (!locked.includes(id)) throw new NotFoundError('Task', id);
    // An instance the recurrence service created while this waited for the task.
    await lockTasks(trx, userId, await nextInstanceIds(trx, userId, id), { nowait: true });
    const detached = await detachNextInstances(trx, userId, id);
    const tagIds = await tagIdsOfTasks(trx, userId, [id]);
    const task = (await deleteTaskRow(trx, userId, id))!;
    await recordTaskEvents(trx, { updated: ['previousTaskId'] }, detached);
    await recordTaskEvents(trx, 'task.deleted', [task], tagIds);
    return task;
  });
}
