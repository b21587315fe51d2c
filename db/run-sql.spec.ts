import type { Knex } from 'knex';
import { createKnex } from './knex.ts';
import { runSql } from './run-sql.ts';
import { requireTestEnv } from '../test/env.ts';

/** One connection: a connection runSql failed to give back would stall the next statement. */
let knex: Knex;
beforeEach(() => {
  knex = createKnex(requireTestEnv('TEST_DATABASE_URL'), { poolMax: 1 });
});
afterEach(() => knex.destroy());

const statement = {
  sql: 'SELECT ?::int + 1 AS n, ?::text[] AS list, ?::text IS NULL AS missing',
  bindings: [41, ['a', 'b'], null],
};

it('returns the rows db.raw returns, with the values bound in order', async () => {
  const rows = await runSql(knex, statement);
  expect(rows).toEqual([{ n: 42, list: ['a', 'b'], missing: true }]);
  expect(rows).toEqual((await knex.raw(statement.sql, statement.bindings)).rows);
});

it("runs as knex's own statements do: one query event, a named prepared statement", async () => {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  knex.on('query', (query: { sql: string; bindings: unknown[] }) => seen.push(query));
  await runSql(knex, statement);
  await runSql(knex, statement);
  expect(seen).toHaveLength(2);
  expect(seen[0]).toMatchObject({
    sql: 'SELECT $1::int + 1 AS n, $2::text[] AS list, $3::text IS NULL AS missing',
    bindings: statement.bindings,
  });
  const { rows } = await knex.raw<{ rows: { statement: string }[] }>(
    'SELECT statement FROM pg_prepared_statements',
  );
  expect(rows.map((row) => row.statement)).toEqual([seen[0]!.sql]);
});

it('gives the connection back when the statement fails, with the SQL in the error', async () => {
  for (let i = 0; i < 3; i++) {
    await expect(runSql(knex, { sql: 'SELECT 1 / ?::int AS n', bindings: [0] })).rejects.toThrow(
      /SELECT 1 \/ \$1::int AS n.*division by zero/,
    );
  }
  expect(await runSql(knex, { sql: 'SELECT ?::int AS n', bindings: [7] })).toEqual([{ n: 7 }]);
});

it("runs on a transaction's own connection, and sees what the transaction wrote", async () => {
  await knex.transaction(async (trx) => {
    await trx.raw('CREATE TEMPORARY TABLE run_sql_probe (n int) ON COMMIT DROP');
    await trx.raw('INSERT INTO run_sql_probe VALUES (5)');
    expect(
      await runSql(trx, { sql: 'SELECT n FROM run_sql_probe WHERE n = ?', bindings: [5] }),
    ).toEqual([{ n: 5 }]);
  });
});

it('refuses an escaped question mark, which knex would turn into a placeholder', async () => {
  await expect(runSql(knex, { sql: String.raw`SELECT '\?' AS q`, bindings: [] })).rejects.toThrow(
    /escaped question mark/,
  );
});
