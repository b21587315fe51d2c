import type { Knex } from 'knex';
import type { TaskFilter } from '../model/task-list.ts';
import type { SqlText } from './sql-text.ts';

/**
 * The maintained counts' rows that match `where` (its `?` bindings given twice): the folded
 * counts and the deltas not folded yet, which together are exact in any one snapshot.
 */
const countedRows = (columns: string, where: string) =>
  `(SELECT ${columns} FROM task_counts WHERE ${where}
     UNION ALL SELECT ${columns} FROM task_count_deltas WHERE ${where}) AS counted`;

/**
 * The exact number of the user's tasks the filter matches, as a scalar SQL expression over the
 * maintained counts (migration 20261202000100_task_counts): the folded counts plus the deltas
 * not folded yet, read in the statement's own snapshot. Undefined for a filter those counts do
 * not cover (tags, due dates), which must count the tasks themselves.
 */
export function maintainedCount(userId: string, filter: TaskFilter): SqlText | undefined {
  if (filter.tagIds?.length || filter.dueBefore || filter.dueAfter) return undefined;
  const conditions = ['user_id = ?'];
  const bindings: Knex.RawBinding[] = [userId];
  if (filter.status !== 'all') {
    conditions.push('completed = ?');
    bindings.push(filter.status === 'completed');
  }
  if (filter.priorities?.length) {
    // One array parameter: a statement text per number of priorities would churn the
    // prepared-statement cache.
    conditions.push('priority = ANY(?)');
    bindings.push(filter.priorities);
  }
  if (filter.categoryId) {
    conditions.push('category_id = ?');
    bindings.push(filter.categoryId);
  }
  const where = conditions.join(' AND ');
  return {
    sql: `(SELECT coalesce(sum(n), 0) FROM ${countedRows('n', where)})`,
    bindings: [...bindings, ...bindings],
  };
}

/**
 * How many of the user's tasks are in each of the categories `ids`, from the maintained counts
 * (folded and not yet folded, in one snapshot); a category without tasks is absent.
 */
export async function maintainedCategoryCounts(
  db: Knex,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await db.raw<{ rows: { category_id: string; n: string }[] }>(
    `SELECT category_id, sum(n) AS n
     FROM ${countedRows('category_id, n', 'user_id = ? AND category_id = ANY(?)')}
     GROUP BY category_id`,
    [userId, [...ids], userId, [...ids]],
  );
  return new Map(rows.map((row) => [row.category_id, Number(row.n)]));
}

const FOLD = `
WITH moved AS (
  DELETE FROM task_count_deltas
  WHERE ctid = ANY (ARRAY(SELECT ctid FROM task_count_deltas LIMIT ?))
  RETURNING user_id, completed, priority, category_id, n
), folded AS (
  INSERT INTO task_counts AS c (user_id, completed, priority, category_id, n)
  SELECT user_id, completed, priority, category_id, sum(n) FROM moved
  GROUP BY user_id, completed, priority, category_id
  ON CONFLICT (user_id, completed, priority, category_id) DO UPDATE SET n = c.n + excluded.n
)
SELECT count(*) AS moved FROM moved`;

/**
 * Folds up to `limit` count deltas into the counts, in one statement (so one transaction: a
 * reader sees the deltas or their sum, never both); resolves to how many it folded. Safe to run
 * from several processes at once: a delta another folder took is skipped.
 */
export async function foldTaskCounts(db: Knex, limit = 10_000): Promise<number> {
  const { rows } = await db.raw<{ rows: { moved: string }[] }>(FOLD, [limit]);
  return Number(rows[0]?.moved ?? 0);
}
