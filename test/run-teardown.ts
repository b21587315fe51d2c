import { dropDatabase } from './postgres.ts';
import { getRun } from './run-state.ts';

/** Drops the run's database and stops what the run started. */
export default async function globalTeardown(): Promise<void> {
  const run = getRun();
  if (!run) return;
  await dropDatabase(run.postgres.url, run.databaseName);
  await run.kafka.stop();
  await run.postgres.stop();
}
