import type { Knex } from 'knex';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../db/database.ts';
import { PostgresVersionError } from '../db/postgres-version.ts';
import {
  migrateDown,
  migrateLatest,
  migrateRollback,
  migrateUp,
  migrationStatus,
} from '../db/migrate.ts';

const commands = {
  latest: migrateLatest,
  up: migrateUp,
  down: migrateDown,
  rollback: (knex) => migrateRollback(knex, process.argv.includes('--all')),
} satisfies Record<string, (knex: Knex) => Promise<string[]>>;

const command = process.argv[2] as keyof typeof commands | undefined;
if (!command || !(command in commands)) {
  process.stderr.write(`usage: migrate-cli <${Object.keys(commands).join('|')}> [--all]\n`);
  process.exit(2);
}

const database = await openDatabase(loadConfig()).catch((error: unknown) => {
  if (!(error instanceof PostgresVersionError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
try {
  await database.withSession(async (knex) => {
    const names = await commands[command](knex);
    const verb = command === 'down' || command === 'rollback' ? 'reverted' : 'applied';
    process.stdout.write(
      names.length ? `${verb}: ${names.join(', ')}\n` : `nothing to do (${command})\n`,
    );
    const { completed, pending } = await migrationStatus(knex);
    process.stdout.write(`${completed.length} applied, ${pending.length} pending\n`);
  });
} finally {
  await database.close();
}
