import type { Knex } from 'knex';
import { createKnex } from './knex.ts';
import { STATEMENTS_PER_CONNECTION } from './prepared-statements.ts';
import { requireTestEnv } from '../test/env.ts';

/** One connection, so every statement below runs on the session whose statements are read. */
const pool = (preparedStatements?: boolean) =>
  createKnex(requireTestEnv('TEST_DATABASE_URL'), { poolMax: 1, preparedStatements });

const prepared = async (knex: Knex): Promise<string[]> =>
  (
    await knex.raw<{ rows: { statement: string }[] }>(
      'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
    )
  ).rows.map((row) => row.statement);

let knex: Knex;
afterEach(() => knex?.destroy());

it('runs a statement with parameters as one named statement, parsed once per connection', async () => {
  knex = pool();
  for (let i = 0; i < 3; i++) {
    const { rows } = await knex.raw<{ rows: { n: number }[] }>('SELECT ?::int + 1 AS n', [i]);
    expect(rows[0]!.n).toBe(i + 1);
  }
  const statements = await prepared(knex);
  expect(statements.filter((sql) => sql === 'SELECT $1::int + 1 AS n')).toHaveLength(1);
});

it('leaves statements without parameters, and those that opt out, unnamed', async () => {
  knex = pool();
  await knex.raw('SELECT 41 + 1 AS n');
  await knex.raw('SELECT ?::int * 2 AS opted_out', [21]).options({ prepare: false });
  expect(
    (await knex('pg_class').where('relname', 'pg_class').select('oid').options({ prepare: false }))
      .length,
  ).toBe(1);
  expect(await prepared(knex)).toEqual([]);
});

it('keeps at most its limit per connection, dropping the least recently used', async () => {
  knex = pool();
  const run = (i: number) => knex.raw(`SELECT ?::int AS n${i}`, [i]);
  for (let i = 0; i < STATEMENTS_PER_CONNECTION; i++) await run(i);
  await run(0); // now the most recently used; statement 1 is the oldest
  await run(STATEMENTS_PER_CONNECTION);
  const names = await prepared(knex);
  expect(names).toHaveLength(STATEMENTS_PER_CONNECTION);
  expect(names).toContain('SELECT $1::int AS n0');
  expect(names).not.toContain('SELECT $1::int AS n1');
  // The dropped one is prepared again when it runs again, under the same name.
  const { rows } = await run(1);
  expect(rows[0]).toEqual({ n1: 1 });
  expect(await prepared(knex)).toContain('SELECT $1::int AS n1');
});

it('prepares nothing when turned off (a pooler that cannot keep named statements)', async () => {
  knex = pool(false);
  await knex.raw('SELECT ?::int + 1 AS n', [1]);
  await knex('pg_class').where('relname', 'pg_class').select('oid');
  expect(await prepared(knex)).toEqual([]);
});

it('keeps working in a transaction that failed and was rolled back', async () => {
  knex = pool();
  await expect(
    knex.transaction(async (trx) => {
      await trx.raw('SELECT ?::int AS ok', [1]);
      await trx.raw('SELECT ?::int / 0 AS broken', [1]);
    }),
  ).rejects.toThrow(/division by zero/);
  const { rows } = await knex.raw('SELECT ?::int AS ok', [2]);
  expect(rows[0]).toEqual({ ok: 2 });
  expect(await prepared(knex)).toContain('SELECT $1::int AS ok');
});
