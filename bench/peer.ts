import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { startBenchApi } from './http.ts';
import { BENCH_USER, seedTasks } from './seed-tasks.ts';
import { percentiles, type BenchResult } from './stats.ts';

const CONNECTIONS = 10;

// The same page through both: the user's pending HIGH tasks by due date, 20 with the total.
const OURS = `{ tasks(filter: { status: PENDING, priorities: [HIGH] },
  orderBy: { field: DUE_DATE, direction: ASC }, first: 20) {
  totalCount edges { node { id title priority dueAt } } } }`;
const PEERS = `{ allTasks(condition: { userId: "${BENCH_USER}", completed: false, priority: "high" },
  orderBy: [DUE_AT_ASC, PRIMARY_KEY_ASC], first: 20) {
  totalCount edges { node { rowId title priority dueAt } } } }`;

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

/** Loads `url` with `query` for `seconds` at CONNECTIONS concurrency; every response must be 200. */
async function load(url: string, query: string, headers: Record<string, string>, seconds: number) {
  const latencies: number[] = [];
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status !== 200) failed++;
      latencies.push(ms);
    });
  });
  if (failed > 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${failed + result.non2xx} bad responses, ${result.errors} errors`);
  }
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p95: percentiles(latencies).p95,
  };
}

/** Checks that both answer the query alike before loading them. */
async function sameAnswer(ours: string, peers: string, token: string) {
  const post = async (url: string, query: string, auth?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: any; errors?: unknown };
  };
  const a = await post(ours, OURS, `Bearer ${token}`);
  const b = await post(peers, PEERS);
  if (a.errors || b.errors)
    throw new Error(`query failed: ${JSON.stringify(a.errors ?? b.errors)}`);
  const ids = (page: any) => page.edges.map((edge: any) => edge.node.id ?? edge.node.rowId).join();
  if (
    a.data.tasks.totalCount !== b.data.allTasks.totalCount ||
    ids(a.data.tasks) !== ids(b.data.allTasks)
  ) {
    throw new Error('this API and PostGraphile answer the comparison query differently');
  }
}

/**
 * The filtered task-list page through this API and through PostGraphile, one after the other,
 * same database, same concurrency, with autocannon in the same process.
 */
export async function benchPeer(
  knex: Knex,
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const seconds = smoke ? 2 : 15;
  await seedTasks(knex, smoke ? 20_000 : 1_000_000, smoke ? 2_000 : 100_000);
  const api = await startBenchApi(knex, BENCH_USER);
  const peer = await startPostGraphile(databaseUrl);
  try {
    await sameAnswer(api.url, peer.url, api.token);
    await load(api.url, OURS, { authorization: `Bearer ${api.token}` }, 1);
    await load(peer.url, PEERS, {}, 1);
    const ours = await load(api.url, OURS, { authorization: `Bearer ${api.token}` }, seconds);
    const theirs = await load(peer.url, PEERS, {}, seconds);
    const conditions = `filtered task page (pending, HIGH, by due date, first 20 + totalCount) for a user with ${smoke ? '2,000' : '100,000'} tasks; ${CONNECTIONS} connections for ${seconds} s; autocannon, server and PostgreSQL on one 2-core machine`;
    return [
      {
        name: 'peer: this API requests/s',
        value: ours.requestsPerSecond,
        unit: 'req/s',
        conditions,
      },
      { name: 'peer: this API p95', value: ours.p95, unit: 'ms', conditions },
      {
        name: 'peer: PostGraphile 5 requests/s',
        value: theirs.requestsPerSecond,
        unit: 'req/s',
        conditions: `${conditions}; Amber preset, no auth (a condition on userId instead)`,
      },
      {
        name: 'peer: PostGraphile 5 p95',
        value: theirs.p95,
        unit: 'ms',
        conditions: `${conditions}; Amber preset, no auth (a condition on userId instead)`,
      },
    ];
  } finally {
    await peer.stop();
    await api.stop();
  }
}
