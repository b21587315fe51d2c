import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { createKnex } from './knex.ts';

/** The database a process works with: external PostgreSQL or the embedded one. */
export interface Database {
  knex: Knex;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to `DATABASE_URL`, or starts the embedded PostgreSQL in `DATA_DIR/postgres`. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'databasePoolMax' | 'dataDir'>,
): Promise<Database> {
  if (config.databaseUrl) {
    const knex = createKnex(config.databaseUrl, { poolMax: config.databasePoolMax });
    return { knex, url: config.databaseUrl, embedded: false, close: () => knex.destroy() };
  }
  const embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'));
  // One connection: PGlite is one session, and pglite-socket queues protocol messages one by one,
  // so two connections' extended-protocol exchanges can interleave and bind to each other's
  // unnamed statement ("bind message supplies 2 parameters, but prepared statement requires 1").
  const knex = createKnex(embedded.url, { poolMax: 1 });
  return {
    knex,
    url: embedded.url,
    embedded: true,
    async close() {
      await knex.destroy();
      await embedded.stop();
    },
  };
}
