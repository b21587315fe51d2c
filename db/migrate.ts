import type { Knex } from 'knex';
import { migrationSource } from './migrations/index.ts';

const config: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(config)) as [number, string[]];
  return applied;
}

/** Applies the next pending migration, if any; returns its name. */
export async function migrateUp(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.up(config)) as [number, string[]];
  return applied;
}

/** Reverts the last applied migration, if any; returns its name. */
export async function migrateDown(knex: Knex): Promise<string[]> {
  const [, reverted] = (await knex.migrate.down(config)) as [number, string[]];
  return reverted;
}

/** Reverts the last batch, or every migration with `all`. */
export async function migrateRollback(knex: Knex, all = false): Promise<string[]> {
  const [, reverted] = (await knex.migrate.rollback(config, all)) as [number, string[]];
  return reverted;
}

/** Names of applied and pending migrations. */
export async function migrationStatus(
  knex: Knex,
): Promise<{ completed: string[]; pending: string[] }> {
  const [completed, pending] = (await knex.migrate.list(config)) as [{ name: string }[], string[]];
  return { completed: completed.map((m) => m.name), pending };
}
