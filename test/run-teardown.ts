import { dropDatabase } from './postgres.js';
import { getRun } from './run-state.js';

/** Drops the run's database and stops what the run started. */
export default async function globalTeardown(): Promise<void> {
  const run = getRun();
  if (!run) return;
  await dropDatabase(run.postgres.url, run.databaseName);
  await run.kafka.stop();
  await run.postgres.stop();
}
