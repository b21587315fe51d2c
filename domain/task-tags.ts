import type { Knex } from 'knex';
import { withConstraintErrors } from '../db/constraint-errors.ts';
import { addTaskTags, removeTaskTags, touchTasks } from '../db/task-tag-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { recordTaskEvents } from './task-events.ts';
import type { Scope } from './scope.ts';
import { lockTask, taskId } from './task-commands.ts';
import type { Task } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';

/** Puts a tag on a task; a tag it already has is harmless. Returns whether it was added. */
export async function addTagToTask(
  scope: Scope,
  id: string,
  tagId: string,
): Promise<{ task: Task; changed: boolean }> {
  taskId(id, 'taskId');
  parseInput(fields.id('tag'), tagId, 'tagId');
  return writeTransaction(scope.db, async (trx) => {
    const task = await lockTask({ ...scope, db: trx }, id);
    const added = await withConstraintErrors(
      () => addTaskTags(trx, scope.userId, id, [tagId]),
      tagId,
    );
    return added.length > 0 ? tagsChanged(trx, task) : { task, changed: false };
  });
}

/** Takes a tag off a task; a tag it does not have is harmless. Returns whether it was removed. */
export async function removeTagFromTask(
  scope: Scope,
  id: string,
  tagId: string,
): Promise<{ task: Task; changed: boolean }> {
  taskId(id, 'taskId');
  parseInput(fields.id('tag'), tagId, 'tagId');
  return writeTransaction(scope.db, async (trx) => {
    const task = await lockTask({ ...scope, db: trx }, id);
    const removed = await removeTaskTags(trx, scope.userId, id, [tagId]);
    return removed.length > 0 ? tagsChanged(trx, task) : { task, changed: false };
  });
}

/** A new version of a task whose tags changed, recorded as such. */
async function tagsChanged(trx: Knex, task: Task): Promise<{ task: Task; changed: true }> {
  const touched = (await touchTasks(trx, task.userId, [task.id]))[0]!;
  await recordTaskEvents(trx, { updated: ['tagIds'] }, [touched]);
  return { task: touched, changed: true };
}
