import pg from 'pg';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex.ts';
import { migrateLatest } from '../db/migrate.ts';

/**
 * The benchmark database: `BENCH_DATABASE_URL`, else `todo_bench` on the local server. It is
 * kept between runs so the large seed is made once.
 */
export async function openBenchDatabase(smoke: boolean): Promise<{ knex: Knex; url: string }> {
  const url =
    process.env.BENCH_DATABASE_URL ??
    `postgres://postgres@127.0.0.1:5432/${smoke ? 'todo_bench_smoke' : 'todo_bench'}`;
  const server = new URL(url);
  const name = server.pathname.slice(1);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const knex = createKnex(url, { poolMax: 10 });
  await migrateLatest(knex);
  return { knex, url };
}
