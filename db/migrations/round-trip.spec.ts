import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { createKnex } from '../knex.ts';
import {
  migrateDown,
  migrateLatest,
  migrateRollback,
  migrateUp,
  migrationStatus,
} from '../migrate.ts';
import { requireTestEnv } from '../../test/env.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../test/postgres.ts';
import { migrationSource } from './index.ts';

async function userTables(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { table_name: string }[] }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name NOT LIKE 'knex_migrations%' ORDER BY 1`,
  );
  return rows.map((row) => row.table_name);
}

async function roundTrip(knex: Knex): Promise<void> {
  const all = await migrationSource.getMigrations([]);
  expect(await migrateLatest(knex)).toEqual(all);
  expect(await userTables(knex)).toEqual([
    'categories',
    'deliveries',
    'delivery_attempts',
    'delivery_events',
    'notification_channels',
    'outbox',
    'outbox_batches',
    'outbox_relay_turn',
    'processed_events',
    'tags',
    'task_count_deltas',
    'task_counts',
    'task_tags',
    'tasks',
    'user_event_sequences',
  ]);

  for (const name of [...all].reverse()) expect(await migrateDown(knex)).toEqual([name]);
  expect(await userTables(knex)).toEqual([]);
  const { rows: functions } = await knex.raw(
    `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
  );
  expect(functions).toEqual([]);

  for (const name of all) expect(await migrateUp(knex)).toEqual([name]);
  expect(await migrationStatus(knex)).toEqual({ completed: all, pending: [] });

  expect(await migrateRollback(knex, true)).toEqual([...all].reverse());
  expect(await migrateLatest(knex)).toEqual(all);
  await knex('tasks').insert({ user_id: 'u', title: 'after the round trip' });
  expect(await knex('tasks').count({ n: '*' }).first()).toEqual({ n: 1 });
}

describe('migrations round-trip (down, then up)', () => {
  it('on the real PostgreSQL server', async () => {
    const server = requireTestEnv('TEST_POSTGRES_SERVER_URL');
    const name = uniqueDatabaseName('todo_migrations');
    const knex = createKnex(await createDatabase(server, name), { poolMax: 2 });
    try {
      await roundTrip(knex);
    } finally {
      await knex.destroy();
      await dropDatabase(server, name);
    }
  });

  it('on the embedded PostgreSQL', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'todo-embedded-'));
    const embedded = await startEmbeddedPostgres(dataDir);
    const knex = createKnex(embedded.url, { poolMax: 2 });
    try {
      await roundTrip(knex);
    } finally {
      await knex.destroy();
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
