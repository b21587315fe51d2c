import type { Knex } from 'knex';
import { appendToOutbox } from '../outbox/append.ts';
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
