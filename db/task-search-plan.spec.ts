import type { Knex } from 'knex';
import { searchTaskPage } from './task-query.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';

let knex: Knex;
beforeAll(() => {
  knex = testKnex();
});
afterAll(() => knex.destroy());

/** The statement `searchTaskPage` sends, in pg's numbered form, with its bindings. */
async function searchStatement(userId: string, text: string) {
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  const listener = (query: { sql: string; bindings?: readonly unknown[] }) =>
    seen.push({ sql: query.sql, bindings: query.bindings ?? [] });
  knex.on('query', listener);
  try {
    const page = await searchTaskPage(knex, userId, text, { status: 'all' }, { first: 20 });
    expect(page.total).toBe(3);
  } finally {
    knex.off('query', listener);
  }
  expect(seen.map(({ sql }) => sql.split(' ')[0])).toEqual(['with']);
  return seen[0]!;
}

it('searches in one statement that no plan runs with parallel workers, however cheap they are', async () => {
  const userId = uniqueUserId('search-plan');
  await knex('tasks').insert(
    ['Budget review', 'Quarterly budget', 'Budget for the garden', 'Water the garden'].map(
      (title) => ({ user_id: userId, title }),
    ),
  );
  const { sql, bindings } = await searchStatement(userId, 'budg');

  const connection = await knex.client.acquireConnection();
  try {
    await connection.query('BEGIN');
    // Workers made free: with task_search_terms parallel safe, this plans a Gather.
    for (const setting of [
      'parallel_setup_cost = 0',
      'parallel_tuple_cost = 0',
      'min_parallel_table_scan_size = 0',
      'min_parallel_index_scan_size = 0',
      'max_parallel_workers_per_gather = 2',
    ]) {
      await connection.query(`SET LOCAL ${setting}`);
    }
    const { rows } = await connection.query(`EXPLAIN ${sql}`, bindings);
    const plan = rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('task_search_terms');
    expect(plan).not.toMatch(/Gather|Parallel/);
  } finally {
    await connection.query('ROLLBACK');
    knex.client.releaseConnection(connection);
  }
});
