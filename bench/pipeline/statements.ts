import type { Knex } from 'knex';

/**
 * `BENCH_PIPELINE_STATEMENTS=1`: the benchmark's PostgreSQL cluster loads pg_stat_statements, and
 * the steady-load phase prints where PostgreSQL's execution time went, statement by statement
 * (nested statements too: trigger and function bodies), per write of the load.
 */
export const statementsWanted = (): boolean => Boolean(process.env.BENCH_PIPELINE_STATEMENTS);

/** The cluster settings pg_stat_statements needs, when wanted. */
export const statementSettings = (): Record<string, string> =>
  statementsWanted()
    ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' }
    : {};

/** Creates the extension (when wanted) and forgets what was counted so far. */
export async function resetStatements(knex: Knex): Promise<void> {
  if (!statementsWanted()) return;
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await knex.raw('SELECT pg_stat_statements_reset()');
}

/** The statements that took the most execution time since the reset, as a printable table. */
export async function topStatements(knex: Knex, writes: number): Promise<string | undefined> {
  if (!statementsWanted()) return undefined;
  const { rows } = await knex.raw<{
    rows: { calls: string; total_ms: number; rows: string; query: string }[];
  }>(
    `SELECT calls, total_exec_time AS total_ms, rows, query FROM pg_stat_statements
     WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 15`,
  );
  const lines = rows.map((row) => {
    const perWrite = ((row.total_ms * 1000) / writes).toFixed(0).padStart(6);
    const calls = String(row.calls).padStart(8);
    const text = row.query.replace(/\s+/g, ' ').slice(0, 100);
    return `${perWrite} µs/write ${calls} calls  ${text}`;
  });
  return [`PostgreSQL execution time per write (${writes} writes):`, ...lines].join('\n');
}
