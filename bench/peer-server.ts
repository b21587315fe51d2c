import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { createKnex } from '../db/knex.ts';
import { startBenchApi } from './http.ts';
import { BENCH_USER } from './seed-tasks.ts';

/**
 * One server of the peer comparison in a process of its own, so the load generator does not
 * share its event loop: `node bench/peer-server.ts ours|postgraphile <database URL>`. Prints
 * `listening <GraphQL URL>` and stops on SIGTERM.
 */
async function startOurs(databaseUrl: string) {
  // As the API role's pool (db/database.ts): generic plans.
  const knex = createKnex(databaseUrl, { poolMax: 10, genericPlans: true });
  const api = await startBenchApi(knex, BENCH_USER);
  return {
    url: api.url,
    async stop() {
      await api.stop();
      await knex.destroy();
    },
  };
}

/** PostGraphile 5 (Amber preset) over the same database, on a free port. */
async function startPostGraphile(databaseUrl: string) {
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    // Expose conditions and orders on every column, not only indexed ones (v4's ignoreIndexes).
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    pgServices: [makePgService({ connectionString: databaseUrl, schemas: ['public'] })],
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  const server: Server = createServer();
  serv.addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await pgl.release();
    },
  };
}

const [which, databaseUrl] = process.argv.slice(2);
if (!databaseUrl || (which !== 'ours' && which !== 'postgraphile'))
  throw new Error('usage: node bench/peer-server.ts ours|postgraphile <database URL>');
const server = await (which === 'ours' ? startOurs : startPostGraphile)(databaseUrl);
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
