import type { Knex } from 'knex';
import type { Priority, RecurrenceAnchor, Task } from '../model/task.ts';
import { whereAnyOf } from './any-of.ts';

/** The columns of `tasks` a Task is read from. */
export const TASK_COLUMNS = [
  'id',
  'user_id',
  'title',
  'description',
  'completed',
  'completed_at',
  'priority',
  'due_at',
  'time_zone',
  'category_id',
  'recurrence_rule',
  'recurrence_anchor',
  'series_id',
  'series_index',
  'series_start_at',
  'previous_task_id',
  'remind_before_minutes',
  'remind_at',
  'reminder_sent_at',
  'created_at',
  'updated_at',
  'version',
] as const;

/** TASK_COLUMNS of `tasks`, qualified, as SQL. */
export const QUALIFIED_TASK_COLUMNS = TASK_COLUMNS.map((column) => `"tasks"."${column}"`).join(
  ', ',
);

/**
 * The task columns, qualified, as SQL. With `fields`, only the columns of those Task properties,
 * and the id and owner: for a list whose reader asks for a few fields, PostgreSQL formats and pg
 * parses those columns only; toTask then leaves the other properties undefined.
 */
export function taskColumnsSql(fields?: ReadonlySet<keyof Task>): string {
  if (!fields) return QUALIFIED_TASK_COLUMNS;
  let sql = columnsSqlOf.get(fields);
  if (sql === undefined) columnsSqlOf.set(fields, (sql = columnsSql(fields)));
  return sql;
}

/** taskColumnsSql of each set of fields: a query's set is kept with its document (schema/task-list.ts). */
const columnsSqlOf = new WeakMap<ReadonlySet<keyof Task>, string>();

function columnsSql(fields: ReadonlySet<keyof Task>): string {
  const wanted = new Set<string>([
    'id',
    'user_id',
    ...[...fields].map((field) => COLUMN_OF[field]),
  ]);
  return TASK_COLUMNS.filter((column) => wanted.has(column))
    .map((column) => `"tasks"."${column}"`)
    .join(', ');
}

/**
 * taskColumnsSql as a select fragment for a query builder (given as a list, knex would quote
 * the identifiers again for every statement).
 */
export const qualifiedTaskColumns = (db: Knex, fields?: ReadonlySet<keyof Task>): Knex.Raw =>
  db.raw(taskColumnsSql(fields));

/** A row of `tasks` as pg returns it. */
export interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completed_at: Date | null;
  priority: Priority;
  due_at: Date | null;
  time_zone: string;
  category_id: string | null;
  recurrence_rule: string | null;
  recurrence_anchor: RecurrenceAnchor;
  series_id: string | null;
  series_index: number;
  series_start_at: Date | null;
  previous_task_id: string | null;
  remind_before_minutes: number | null;
  remind_at: Date | null;
  reminder_sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** The writable columns, by their domain names. */
export type TaskValues = Partial<
  Pick<
    Task,
    | 'title'
    | 'description'
    | 'completed'
    | 'completedAt'
    | 'priority'
    | 'dueAt'
    | 'timeZone'
    | 'categoryId'
    | 'recurrenceRule'
    | 'recurrenceAnchor'
    | 'seriesId'
    | 'seriesIndex'
    | 'seriesStartAt'
    | 'previousTaskId'
    | 'remindBeforeMinutes'
    | 'remindAt'
    | 'reminderSentAt'
  >
>;

/** A column of `tasks` a Task is read from. */
export type TaskColumn = (typeof TASK_COLUMNS)[number];

/** The column each Task property is read from and written to. */
const COLUMN_OF: Record<keyof Task, TaskColumn> = {
  id: 'id',
  userId: 'user_id',
  title: 'title',
  description: 'description',
  completed: 'completed',
  completedAt: 'completed_at',
  priority: 'priority',
  dueAt: 'due_at',
  timeZone: 'time_zone',
  categoryId: 'category_id',
  recurrenceRule: 'recurrence_rule',
  recurrenceAnchor: 'recurrence_anchor',
  seriesId: 'series_id',
  seriesIndex: 'series_index',
  seriesStartAt: 'series_start_at',
  previousTaskId: 'previous_task_id',
  remindBeforeMinutes: 'remind_before_minutes',
  remindAt: 'remind_at',
  reminderSentAt: 'reminder_sent_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  version: 'version',
};

function toColumns(values: TaskValues): Partial<TaskRow> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMN_OF)) {
    const value = values[key as keyof TaskValues];
    if (value !== undefined) row[column] = value;
  }
  return row as Partial<TaskRow>;
}

/**
 * Maps a `tasks` row to the domain's Task (a row of some columns only, see qualifiedTaskColumns,
 * leaves the other properties undefined).
 */
export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    completedAt: row.completed_at,
    priority: row.priority,
    dueAt: row.due_at,
    timeZone: row.time_zone,
    categoryId: row.category_id,
    recurrenceRule: row.recurrence_rule,
    recurrenceAnchor: row.recurrence_anchor,
    seriesId: row.series_id,
    seriesIndex: row.series_index,
    seriesStartAt: row.series_start_at,
    previousTaskId: row.previous_task_id,
    remindBeforeMinutes: row.remind_before_minutes,
    remindAt: row.remind_at,
    reminderSentAt: row.reminder_sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** One of the user's tasks; `forUpdate` locks it until the transaction ends. */
export async function findTask(
  db: Knex,
  userId: string,
  id: string,
  { forUpdate = false } = {},
): Promise<Task | undefined> {
  const query = db('tasks').where({ user_id: userId, id }).select(TASK_COLUMNS).first();
  const row = await (forUpdate ? query.forUpdate() : query);
  return row && toTask(row as TaskRow);
}

/**
 * Locks the user's tasks among `ids` for the rest of the transaction, in id order (the lock order
 * of writeTransaction), and returns the ids of those that exist, in that order; `'any user'` for
 * a service writing tasks of many users at once. `nowait` fails at once with lock_not_available
 * (55P03) instead of waiting for a task another transaction holds.
 */
export async function lockTasks(
  db: Knex,
  userId: string | 'any user',
  ids: readonly string[],
  { nowait = false } = {},
): Promise<string[]> {
  if (ids.length === 0) return [];
  const query = whereAnyOf(db('tasks'), 'id', ids).orderBy('id').select('id');
  if (userId !== 'any user') query.where({ user_id: userId });
  const rows: { id: string }[] = await (nowait ? query.forUpdate().noWait() : query.forUpdate());
  return rows.map((row) => row.id);
}

/** The user's task created with this idempotency key, if any. */
export async function findTaskByIdempotencyKey(
  db: Knex,
  userId: string,
  key: string,
): Promise<Task | undefined> {
  const row = await db('tasks')
    .where({ user_id: userId, idempotency_key: key })
    .select(TASK_COLUMNS)
    .first();
  return row && toTask(row as TaskRow);
}

export async function insertTask(db: Knex, values: NewTaskValues): Promise<Task> {
  return (await insertTaskRow(db, values, false))!;
}

/**
 * Inserts the next instance of a recurring series; undefined when the completed instance
 * (`previousTaskId`) already has one, which the database's unique key guarantees.
 */
export async function insertNextInstance(
  db: Knex,
  values: TaskValues & { userId: string; title: string; previousTaskId: string },
): Promise<Task | undefined> {
  return insertTaskRow(db, values, true);
}

/** What a new task is inserted with. */
export type NewTaskValues = TaskValues & {
  id?: string;
  userId: string;
  title: string;
  idempotencyKey?: string | null;
};

async function insertTaskRow(
  db: Knex,
  values: NewTaskValues,
  oncePerPrevious: boolean,
): Promise<Task | undefined> {
  const insert = taskInsert(db, values);
  if (oncePerPrevious) insert.onConflict('previous_task_id').ignore();
  const [row] = await insert;
  return row && toTask(row as TaskRow);
}

/** The INSERT of a new task, returning it as stored (TASK_COLUMNS). */
export function taskInsert(db: Knex, values: NewTaskValues): Knex.QueryBuilder {
  return db('tasks')
    .insert({
      ...toColumns(values),
      ...(values.id ? { id: values.id } : {}),
      user_id: values.userId,
      idempotency_key: values.idempotencyKey ?? null,
    })
    .returning(TASK_COLUMNS);
}

/** The defaults of `tasks` (see its migration) for the Task properties an insert may leave out. */
const NEW_TASK_DEFAULTS = {
  description: null,
  completed: false,
  completedAt: null,
  priority: 'medium',
  dueAt: null,
  timeZone: 'UTC',
  categoryId: null,
  recurrenceRule: null,
  recurrenceAnchor: 'due_date',
  seriesId: null,
  seriesIndex: 1,
  seriesStartAt: null,
  previousTaskId: null,
  remindBeforeMinutes: null,
  remindAt: null,
  reminderSentAt: null,
  version: 1,
} as const satisfies Omit<Task, 'id' | 'userId' | 'title' | 'createdAt' | 'updatedAt'>;

/**
 * The task that inserting `values` (with an id) stores, but for its timestamps, which the
 * database sets (now()) and which are `at` here.
 */
export function insertedTask(values: NewTaskValues & { id: string }, at: Date): Task {
  const given = Object.fromEntries(
    Object.entries(values).filter(([key, value]) => value !== undefined && key in COLUMN_OF),
  );
  return { ...NEW_TASK_DEFAULTS, ...given, createdAt: at, updatedAt: at } as Task;
}

/** The user's tasks that are the next instances of the given completed tasks. */
export async function findNextInstances(
  db: Knex,
  userId: string,
  previousIds: readonly string[],
): Promise<Task[]> {
  if (previousIds.length === 0) return [];
  const rows = await whereAnyOf(
    db('tasks').where({ user_id: userId }),
    'previous_task_id',
    previousIds,
  ).select(TASK_COLUMNS);
  return rows.map((row) => toTask(row as TaskRow));
}

/**
 * Makes the next instances of a deleted task no longer point at it, and returns them as stored.
 * Lock them first: this would wait for them out of the lock order.
 */
export async function detachNextInstances(
  db: Knex,
  userId: string,
  previousId: string,
): Promise<Task[]> {
  const rows = await db('tasks')
    .where({ user_id: userId, previous_task_id: previousId })
    .update({ previous_task_id: null })
    .returning(TASK_COLUMNS);
  return rows.map((row) => toTask(row as TaskRow));
}

/**
 * Takes the user's tasks out of a category and returns them as stored. Lock them first: this
 * would wait for them out of the lock order.
 */
export async function clearCategory(db: Knex, userId: string, categoryId: string): Promise<Task[]> {
  const rows = await db('tasks')
    .where({ user_id: userId, category_id: categoryId })
    .update({ category_id: null })
    .returning(TASK_COLUMNS);
  return rows.map((row) => toTask(row as TaskRow));
}

/** Writes `values` to the user's task and returns it as stored. */
export async function updateTask(
  db: Knex,
  userId: string,
  id: string,
  values: TaskValues,
): Promise<Task | undefined> {
  const [row] = await db('tasks')
    .where({ user_id: userId, id })
    .update(toColumns(values))
    .returning(TASK_COLUMNS);
  return row && toTask(row as TaskRow);
}

/** Deletes the user's task and returns it as it was. */
export async function deleteTask(db: Knex, userId: string, id: string): Promise<Task | undefined> {
  const [row] = await db('tasks').where({ user_id: userId, id }).delete().returning(TASK_COLUMNS);
  return row && toTask(row as TaskRow);
}
