import type { Knex } from 'knex';
import { createKnex } from '../db/knex.ts';

/** Reads a variable that global setup provides; fails loudly when the setup did not run. */
export function requireTestEnv(
  name: 'TEST_DATABASE_URL' | 'TEST_POSTGRES_SERVER_URL' | 'KAFKA_BROKERS',
): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (npm test)`);
  return value;
}

/** A knex pool on the run's migrated test database; destroy it in afterAll. */
export function testKnex(poolMax = 4): Knex {
  return createKnex(requireTestEnv('TEST_DATABASE_URL'), { poolMax });
}

/** A user id no other test uses, so tests can share the run's database. */
export function uniqueUserId(label = 'user'): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}
