import type { Knex } from 'knex';

const CHUNK = 5_000;

/**
 * When the transaction that created each task committed (wall clock, ms), by task id, from
 * PostgreSQL's commit timestamps (`track_commit_timestamp`). It is read from the task row, which
 * createTask inserts in the same transaction as its outbox event and which nothing rewrites
 * afterwards; the outbox row itself is rewritten by the relay when it claims or marks it, which
 * gives that row a new xmin.
 */
export async function commitTimes(knex: Knex, taskIds: string[]): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (let start = 0; start < taskIds.length; start += CHUNK) {
    const { rows } = await knex.raw<{ rows: { id: string; committed: number }[] }>(
      `SELECT id, extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS committed
         FROM tasks WHERE id = ANY(?::uuid[])`,
      [taskIds.slice(start, start + CHUNK)],
    );
    for (const row of rows) times.set(row.id, Number(row.committed));
  }
  return times;
}

/** The ids of the tasks of `userIds` whose title starts with `prefix`: every committed write. */
export async function committedTasks(
  knex: Knex,
  userIds: string[],
  prefix: string,
): Promise<string[]> {
  const rows = await knex('tasks')
    .whereIn('user_id', userIds)
    .andWhere('title', 'like', `${prefix}%`)
    .select<{ id: string }[]>('id');
  return rows.map((row) => row.id);
}
