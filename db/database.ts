import path from 'node:path';
import type { Knex } from 'knex';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { createKnex, type KnexOptions } from './knex.ts';
import { assertPostgresVersion } from './postgres-version.ts';

/** The database a process works with: external PostgreSQL or the embedded one. */
export interface Database {
  /** The pool for queries and transactions; may go through a transaction-mode pooler. */
  knex: Knex;
  url: string;
  /**
   * A URL whose connections are sessions (LISTEN): `DATABASE_DIRECT_URL`, else `DATABASE_URL`;
   * none for the embedded database, whose NOTIFY does not cross connections.
   */
  sessionUrl: string | undefined;
  embedded: boolean;
  /**
   * Runs `work` on one connection to the session URL (the pool itself when that is `url`), for
   * schema changes that should not go through a pooler.
   */
  withSession<T>(work: (knex: Knex) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the database is: `DATABASE_URL` (and `DATABASE_DIRECT_URL`), or the embedded one. */
export interface DatabaseOptions {
  /** External PostgreSQL; when absent the embedded database in `dataDir` is used. */
  databaseUrl: string | undefined;
  /**
   * The server itself when `databaseUrl` goes through a transaction-mode pooler: LISTEN and
   * migrations use it. When absent they use `databaseUrl`.
   */
  databaseDirectUrl?: string | undefined;
  databasePoolMax: number;
  /**
   * Named prepared statements (db/prepared-statements.ts) on `databaseUrl`; off behind a
   * transaction-mode pooler that does not keep them (PgBouncer before 1.21). On when absent.
   * Never on the embedded database.
   */
  databasePreparedStatements?: boolean;
  /**
   * With prepared statements, plan each statement once for all parameters (see
   * `GENERIC_PLANS` in knex.ts): for the API's process, whose statements are all one user's.
   */
  genericPlans?: boolean;
  /** Where the embedded database keeps its files (`DATA_DIR/postgres`). */
  dataDir: string;
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL in `DATA_DIR/postgres`, and
 * checks the server's version.
 * @throws PostgresVersionError when the server is older than the migrations need.
 */
export async function openDatabase(config: DatabaseOptions): Promise<Database> {
  const database = config.databaseUrl
    ? external(config.databaseUrl, config.databaseDirectUrl, {
        poolMax: config.databasePoolMax,
        preparedStatements: config.databasePreparedStatements,
        genericPlans: config.genericPlans,
      })
    : await embedded(config.dataDir);
  try {
    await assertPostgresVersion(database.knex);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

function external(url: string, directUrl: string | undefined, options: KnexOptions): Database {
  const knex = createKnex(url, options);
  const sessionUrl = directUrl ?? url;
  return {
    knex,
    url,
    sessionUrl,
    embedded: false,
    async withSession(work) {
      if (sessionUrl === url) return work(knex);
      const direct = createKnex(sessionUrl, { poolMax: 1 });
      try {
        return await work(direct);
      } finally {
        await direct.destroy();
      }
    },
    close: () => knex.destroy(),
  };
}

async function embedded(dataDir: string): Promise<Database> {
  const server = await startEmbeddedPostgres(path.join(dataDir, 'postgres'));
  // One connection: PGlite is one session, and pglite-socket queues protocol messages one by one,
  // so two connections' extended-protocol exchanges can interleave and bind to each other's
  // unnamed statement ("bind message supplies 2 parameters, but prepared statement requires 1").
  // No named statements: the session outlives a connection the pool replaces, and the next one
  // would find its names taken.
  const knex = createKnex(server.url, { poolMax: 1, preparedStatements: false });
  return {
    knex,
    url: server.url,
    sessionUrl: undefined,
    embedded: true,
    withSession: (work) => work(knex),
    async close() {
      await knex.destroy();
      await server.stop();
    },
  };
}
