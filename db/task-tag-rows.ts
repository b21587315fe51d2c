import type { Knex } from 'knex';
import type { Task } from '../model/task.ts';
import { TASK_COLUMNS, toTask, type TaskRow } from './task-rows.ts';
import { whereAnyOf } from './any-of.ts';

/** Gives `taskId` the tags of `fromTaskId` (all of one user's). */
export async function copyTaskTags(db: Knex, userId: string, fromTaskId: string, taskId: string) {
  await db.raw(
    `INSERT INTO task_tags (user_id, task_id, tag_id)
     SELECT user_id, ?, tag_id FROM task_tags WHERE user_id = ? AND task_id = ?
     ON CONFLICT DO NOTHING`,
    [taskId, userId, fromTaskId],
  );
}

/**
 * The tag ids of each task, in the order they were added; `'any user'` for a service reading
 * tasks of many users at once (the notification service).
 */
export async function tagIdsOfTasks(
  db: Knex,
  userId: string | 'any user',
  taskIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byTask = new Map<string, string[]>(taskIds.map((id) => [id, []]));
  if (taskIds.length === 0) return byTask;
  const query = db('task_tags');
  if (userId !== 'any user') query.where({ user_id: userId });
  const rows: { task_id: string; tag_id: string }[] = await whereAnyOf(query, 'task_id', taskIds)
    .orderBy(['task_id', 'created_at', 'tag_id'])
    .select('task_id', 'tag_id');
  for (const row of rows) byTask.get(row.task_id)?.push(row.tag_id);
  return byTask;
}

/** Adds tags to a task; a tag it already has is left as it is. Returns the ids actually added. */
export async function addTaskTags(
  db: Knex,
  userId: string,
  taskId: string,
  tagIds: readonly string[],
): Promise<string[]> {
  if (tagIds.length === 0) return [];
  const rows: { tag_id: string }[] = await db('task_tags')
    .insert(tagIds.map((tagId) => ({ user_id: userId, task_id: taskId, tag_id: tagId })))
    .onConflict(['task_id', 'tag_id'])
    .ignore()
    .returning('tag_id');
  return rows.map((row) => row.tag_id);
}

/** Removes tags from a task; returns the ids actually removed. */
export async function removeTaskTags(
  db: Knex,
  userId: string,
  taskId: string,
  tagIds: readonly string[] | 'all',
): Promise<string[]> {
  const query = db('task_tags').where({ user_id: userId, task_id: taskId });
  if (tagIds !== 'all') whereAnyOf(query, 'tag_id', tagIds);
  const rows: { tag_id: string }[] = await query.delete().returning('tag_id');
  return rows.map((row) => row.tag_id);
}

/** Marks the user's tasks changed (a new version) without changing their columns, e.g. tags. */
export async function touchTasks(
  db: Knex,
  userId: string,
  ids: readonly string[],
): Promise<Task[]> {
  if (ids.length === 0) return [];
  const rows = await db('tasks')
    .where({ user_id: userId })
    .where((q) => whereAnyOf(q, 'id', ids))
    .update({ updated_at: db.fn.now() })
    .returning(TASK_COLUMNS);
  return rows.map((row) => toTask(row as TaskRow));
}

/** The ids of the user's tasks in a category or carrying a tag, in id order; nothing is locked. */
export async function taskIdsWithLabel(
  db: Knex,
  userId: string,
  label: { categoryId: string } | { tagId: string },
): Promise<string[]> {
  const rows: { id: string }[] =
    'categoryId' in label
      ? await db('tasks')
          .where({ user_id: userId, category_id: label.categoryId })
          .orderBy('id')
          .select('id')
      : await db('task_tags')
          .where({ user_id: userId, tag_id: label.tagId })
          .orderBy('task_id')
          .select({ id: 'task_id' });
  return rows.map((row) => row.id);
}

/**
 * Takes a tag off every task of the user that carries it; returns the ids of those tasks. Lock
 * them first (their versions change with their tags).
 */
export async function removeTagFromAllTasks(
  db: Knex,
  userId: string,
  tagId: string,
): Promise<string[]> {
  const rows: { task_id: string }[] = await db('task_tags')
    .where({ user_id: userId, tag_id: tagId })
    .delete()
    .returning('task_id');
  return rows.map((row) => row.task_id);
}
