import type { Knex } from 'knex';
import type { Label } from '../model/task.ts';
import { whereAnyOf } from './any-of.ts';
import { maintainedCategoryCounts } from './task-counts.ts';

/** The two label tables; they share one shape and so one set of queries. */
export type LabelTable = 'categories' | 'tags';

const COLUMNS = ['id', 'user_id', 'name', 'color', 'created_at', 'updated_at'];

interface LabelRow {
  id: string;
  user_id: string;
  name: string;
  color: string;
  created_at: Date;
  updated_at: Date;
}

const toLabel = (row: LabelRow): Label => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  color: row.color,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A user's labels, by name. */
export async function listLabels(db: Knex, table: LabelTable, userId: string): Promise<Label[]> {
  const rows = await db(table).where({ user_id: userId }).orderBy('name').select(COLUMNS);
  return rows.map(toLabel);
}

/** The user's labels among `ids`, in no particular order; missing ids are left out. */
export async function findLabels(
  db: Knex,
  table: LabelTable,
  userId: string,
  ids: readonly string[],
): Promise<Label[]> {
  if (ids.length === 0) return [];
  const rows = await whereAnyOf(db(table).where({ user_id: userId }), 'id', ids).select(COLUMNS);
  return rows.map(toLabel);
}

export async function insertLabel(
  db: Knex,
  table: LabelTable,
  values: { userId: string; name: string; color: string },
): Promise<Label> {
  const [row] = await db(table)
    .insert({ user_id: values.userId, name: values.name, color: values.color })
    .returning(COLUMNS);
  return toLabel(row as LabelRow);
}

/** Updates the user's label; undefined when it does not exist for this user. */
export async function updateLabel(
  db: Knex,
  table: LabelTable,
  userId: string,
  id: string,
  patch: { name?: string; color?: string },
): Promise<Label | undefined> {
  const [row] = await db(table)
    .where({ user_id: userId, id })
    .update({ ...patch, updated_at: db.fn.now() })
    .returning(COLUMNS);
  return row && toLabel(row as LabelRow);
}

/**
 * The user's label, locked against changes and against new tasks or tags pointing at it (their
 * foreign-key checks wait) until the transaction ends; undefined when it does not exist.
 */
export async function lockLabel(
  db: Knex,
  table: LabelTable,
  userId: string,
  id: string,
): Promise<Label | undefined> {
  const row = await db(table).where({ user_id: userId, id }).forUpdate().select(COLUMNS).first();
  return row && toLabel(row as LabelRow);
}

/** Deletes the user's label and returns it; undefined when it does not exist for this user. */
export async function deleteLabel(
  db: Knex,
  table: LabelTable,
  userId: string,
  id: string,
): Promise<Label | undefined> {
  const [row] = await db(table).where({ user_id: userId, id }).delete().returning(COLUMNS);
  return row && toLabel(row as LabelRow);
}

/**
 * How many tasks carry each of the given labels (absent ids count 0); categories from the
 * maintained counts (task-counts.ts), tags by counting.
 */
export async function countTasksByLabel(
  db: Knex,
  table: LabelTable,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  if (table === 'categories') return maintainedCategoryCounts(db, userId, ids);
  const rows: { tag_id: string; count: number }[] = await db('task_tags')
    .where({ user_id: userId })
    .where((q) => whereAnyOf(q, 'tag_id', ids))
    .groupBy('tag_id')
    .select('tag_id')
    .count({ count: '*' });
  return new Map(rows.map((row) => [row.tag_id, Number(row.count)]));
}

/** The tags of each task, by name; every requested task id has an entry. */
export async function findTagsOfTasks(
  db: Knex,
  userId: string,
  taskIds: readonly string[],
): Promise<Map<string, Label[]>> {
  const byTask = new Map<string, Label[]>(taskIds.map((id) => [id, []]));
  if (taskIds.length === 0) return byTask;
  const rows: (LabelRow & { task_id: string })[] = await db('task_tags')
    .join('tags', 'tags.id', 'task_tags.tag_id')
    .where('task_tags.user_id', userId)
    .where((q) => whereAnyOf(q, 'task_tags.task_id', taskIds))
    .orderBy('tags.name')
    .select('task_tags.task_id', ...COLUMNS.map((column) => `tags.${column}`));
  for (const row of rows) byTask.get(row.task_id)?.push(toLabel(row));
  return byTask;
}
