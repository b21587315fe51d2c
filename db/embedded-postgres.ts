import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL, reachable through the wire protocol at `url`. */
export interface EmbeddedPostgres {
  url: string;
  /** How many client connections the socket server accepts; size the pool below this. */
  maxConnections: number;
  stop(): Promise<void>;
}

/**
 * Starts PGlite persisted in `dataDir` (or in memory for `memory://`) and serves it on a
 * loopback port, so `pg`, knex and the migrations run unchanged against it.
 *
 * PGlite is one session underneath: a transaction on one connection holds the others until it
 * ends, and LISTEN/NOTIFY does not cross connections.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  { port = 0, maxConnections = 8 }: { port?: number; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { btree_gin } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    maxConnections,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
