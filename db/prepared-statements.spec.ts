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

it('leaves the statements of a transaction unnamed', async () => {
  knex = pool();
  await knex.transaction(async (trx) => {
    await Promise.all([trx.raw('SELECT ?::int AS a', [1]), trx.raw('SELECT ?::int AS b', [2])]);
    expect(await prepared(trx)).toEqual([]);
  });
});

it('runs a query again when the server dropped its statement behind the client', async () => {
  knex = pool();
  const run = () => knex.raw('SELECT ?::int AS n', [7]);
  await run();
  await knex.raw('DEALLOCATE ALL');
  expect((await run()).rows).toEqual([{ n: 7 }]);
  expect((await run()).rows).toEqual([{ n: 7 }]);
  expect(await prepared(knex)).toEqual(['SELECT $1::int AS n']);
});

it('answers with the new columns after a migration changed what a statement returns', async () => {
  knex = pool();
  const table = `prepared_spec_${Math.random().toString(36).slice(2, 8)}`;
  await knex.raw(`CREATE TABLE ${table} (id int)`);
  try {
    await knex(table).insert({ id: 1 });
    const read = () => knex(table).where('id', 1).select('*');
    expect(await read()).toEqual([{ id: 1 }]);
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN note text DEFAULT 'added'`);
    expect(await read()).toEqual([{ id: 1, note: 'added' }]);
    expect(await read()).toEqual([{ id: 1, note: 'added' }]);
  } finally {
    await knex.raw(`DROP TABLE ${table}`);
  }
});

it('prepares a statement again that failed to prepare and was then dropped from the cache', async () => {
  knex = pool();
  const table = `prepared_spec_${Math.random().toString(36).slice(2, 8)}`;
  const read = () => knex.raw(`SELECT count(*)::int AS n FROM ${table} WHERE id = ?`, [1]);
  await expect(read()).rejects.toThrow(/does not exist/);
  await knex.raw(`CREATE TABLE ${table} (id int)`);
  try {
    for (let i = 0; i < STATEMENTS_PER_CONNECTION; i++)
      await knex.raw(`SELECT ?::int AS m${i}`, [i]);
    expect((await read()).rows).toEqual([{ n: 0 }]);
  } finally {
    await knex.raw(`DROP TABLE ${table}`);
  }
});
