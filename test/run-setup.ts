import { createKnex } from '../db/knex.ts';
import { migrateLatest } from '../db/migrate.ts';
import { ensureKafka } from './kafka-broker.ts';
import { createDatabase, ensurePostgres, uniqueDatabaseName } from './postgres.ts';
import { setRun } from './run-state.ts';

/**
 * Once per test run: a fresh, migrated PostgreSQL database and a real Kafka broker, announced to
 * the test workers through `TEST_DATABASE_URL`, `TEST_POSTGRES_SERVER_URL` and `KAFKA_BROKERS`.
 */
export default async function globalSetup(): Promise<void> {
  const postgres = await ensurePostgres();
  const name = uniqueDatabaseName('todo_test');
  const url = await createDatabase(postgres.url, name);
  const knex = createKnex(url, { poolMax: 1 });
  try {
    await migrateLatest(knex);
  } finally {
    await knex.destroy();
  }
  const kafka = await ensureKafka();
  process.env.TEST_POSTGRES_SERVER_URL = postgres.url;
  process.env.TEST_DATABASE_URL = url;
  process.env.KAFKA_BROKERS = kafka.brokers;
  setRun({ postgres, databaseName: name, kafka });
}
