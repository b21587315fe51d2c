import type { Knex } from 'knex';
import { appendToOutbox, outboxRowOf } from '../outbox/append.ts';
import { wakeAfterCommit } from '../outbox/wake-after-commit.ts';
import {
  insertedTask,
  taskInsert,
  TASK_COLUMNS,
  toTask,
  type NewTaskValues,
  type TaskRow,
} from '../db/task-rows.ts';
import { tagIdsOfTasks } from '../db/task-tag-rows.ts';
import type { Task } from '../model/task.ts';
import { newEvent } from '../model/events/new-event.ts';
import { snapshotOf } from '../model/events/task-snapshot.ts';

type TaskEventType = 'task.created' | 'task.completed' | 'task.reopened' | 'task.deleted';

/** The tag ids of each task, read in the caller's transaction. */
export async function tagIdsOf(trx: Knex, tasks: Task[]): Promise<Map<string, string[]>> {
  return tagIdsOfTasks(
    trx,
    tasks[0]?.userId ?? '',
    tasks.map((task) => task.id),
  );
}

/**
 * Records that tasks changed, in the transaction that changed them. `tagIds` is needed when the
 * tags can no longer be read (a deleted task).
 */
export async function recordTaskEvents(
  trx: Knex,
  type: TaskEventType | { updated: string[] },
  tasks: Task[],
  tagIds?: Map<string, string[]>,
): Promise<void> {
  if (tasks.length === 0 || (typeof type === 'object' && type.updated.length === 0)) return;
  const tags = tagIds ?? (await tagIdsOf(trx, tasks));
  await appendToOutbox(
    trx,
    tasks.map((task) => {
      const snapshot = snapshotOf(task, tags.get(task.id) ?? []);
      return typeof type === 'object'
        ? newEvent('task.updated', task.userId, task.id, { task: snapshot, changed: type.updated })
        : newEvent(type, task.userId, task.id, { task: snapshot });
    }),
  );
}

/**
 * A Date whose ISO text stands in the event for the task's timestamps until the statement puts
 * the database's in; as long as theirs (24 characters), so the row's payload_bytes holds.
 */
const STAMP_PLACEHOLDER = new Date(0);

/** A timestamp column of the inserted row as Date.toISOString writes it (milliseconds, UTC). */
const isoOf = (column: 'created_at' | 'updated_at') =>
  `to_jsonb(to_char(created.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

/**
 * Inserts a new task without tags and its `task.created` event in one statement (a
 * data-modifying CTE), which is atomic on its own: no BEGIN and COMMIT round trips. The event
 * carries the task the insert stores (insertedTask), with the timestamps the database gives it
 * (now(), to the millisecond as pg reads them) put in by the same statement.
 */
export async function insertTaskWithEvent(
  db: Knex,
  values: NewTaskValues & { id: string },
): Promise<Task> {
  const draft = insertedTask(values, STAMP_PLACEHOLDER);
  const event = outboxRowOf(
    newEvent('task.created', draft.userId, draft.id, { task: snapshotOf(draft, []) }),
  );
  const rows: TaskRow[] = await db
    .queryBuilder()
    .with('created', taskInsert(db, values))
    .with(
      'event',
      db.raw(
        `INSERT INTO outbox (event_id, topic, message_key, event_type, user_id, payload, payload_bytes)
         SELECT ?, ?, ?, ?, ?, jsonb_set(jsonb_set(?::jsonb, '{payload,task,createdAt}', ${isoOf('created_at')}),
                '{payload,task,updatedAt}', ${isoOf('updated_at')}), ?
         FROM created`,
        [
          event.event_id,
          event.topic,
          event.message_key,
          event.event_type,
          event.user_id,
          event.payload,
          event.payload_bytes,
        ],
      ),
    )
    .select(TASK_COLUMNS)
    .from('created');
  wakeAfterCommit(db);
  return toTask(rows[0]!);
}
