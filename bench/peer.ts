import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { signToken } from '../server/auth/jwt.ts';
import { BENCH_SECRET } from './http.ts';
import { BENCH_USER, seedTasks } from './seed-tasks.ts';
import { percentiles, type BenchResult } from './stats.ts';

const CONNECTIONS = 10;
/** A user with few tasks, where the fixed cost of a request dominates; made here, beside the seed. */
const SMALL_USER = 'bench-peer-small';
const SMALL_USER_TASKS = 100;

// The same page through both: the user's pending HIGH tasks by due date, 20 with the total.
const OURS = `{ tasks(filter: { status: PENDING, priorities: [HIGH] },
  orderBy: { field: DUE_DATE, direction: ASC }, first: 20) {
  totalCount edges { node { id title priority dueAt } } } }`;
const peers = (userId: string) => `{ allTasks(condition: { userId: "${userId}", completed: false,
  priority: "high" }, orderBy: [DUE_AT_ASC, PRIMARY_KEY_ASC], first: 20) {
  totalCount edges { node { rowId title priority dueAt } } } }`;

/** A server of the comparison (bench/peer-server.ts) in a process of its own. */
async function startServer(which: 'ours' | 'postgraphile', databaseUrl: string) {
  const child = spawn(process.execPath, ['bench/peer-server.ts', which, databaseUrl], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, NODE_ENV: 'production', GRAPHILE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`${which} server exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Gives SMALL_USER exactly SMALL_USER_TASKS tasks, shaped like the seed's (a quarter HIGH, a fifth done). */
async function ensureSmallUser(knex: Knex): Promise<void> {
  const row = await knex('tasks').where('user_id', SMALL_USER).count({ n: '*' }).first();
  if (Number(row?.n) === SMALL_USER_TASKS) return;
  await knex('tasks').where('user_id', SMALL_USER).delete();
  await knex.raw(
    `INSERT INTO tasks (user_id, title, description, priority, due_at, completed, completed_at, created_at)
     SELECT ?, 'Small task #' || g, 'Notes about task ' || g, (ARRAY['low','medium','high','urgent'])[1 + g % 4],
            CASE WHEN g % 3 = 0 THEN NULL ELSE now() + ((g % 2000) - 500) * interval '1 hour' END,
            g % 5 = 0, CASE WHEN g % 5 = 0 THEN now() - interval '1 day' END, now() - g * interval '1 minute'
     FROM generate_series(1, ?::int) AS g`,
    [SMALL_USER, SMALL_USER_TASKS],
  );
}

interface Target {
  url: string;
  query: string;
  headers: Record<string, string>;
}

/** Requests and latencies of one target, added up over rounds. */
interface Tally {
  requests: number;
  seconds: number;
  latencies: number[];
}

/** Loads `target` for `seconds` at CONNECTIONS concurrency into `tally`; every response must be 200. */
async function load(target: Target, seconds: number, tally?: Tally): Promise<void> {
  let failed = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        headers: { 'content-type': 'application/json', ...target.headers },
        body: JSON.stringify({ query: target.query }),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status !== 200) failed++;
      latencies.push(ms);
    });
  });
  if (failed > 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${target.url}: ${failed + result.non2xx} bad responses, ${result.errors} errors`,
    );
  }
  if (!tally) return;
  tally.requests += latencies.length;
  tally.seconds += result.duration;
  tally.latencies.push(...latencies);
}

/** Checks that both answer the query alike before loading them. */
async function sameAnswer(ours: Target, theirs: Target) {
  const post = async ({ url, query, headers }: Target) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: any; errors?: unknown };
  };
  const a = await post(ours);
  const b = await post(theirs);
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

/** Loads the two targets in turn for `rounds` rounds, the one that goes first alternating. */
async function alternate(ours: Target, theirs: Target, rounds: number, seconds: number) {
  const tallies = [ours, theirs].map((): Tally => ({ requests: 0, seconds: 0, latencies: [] }));
  await load(ours, 1);
  await load(theirs, 1);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) await load([ours, theirs][i]!, seconds, tallies[i]);
  }
  return tallies.map((tally) => ({
    requestsPerSecond: Math.round(tally.requests / tally.seconds),
    p95: percentiles(tally.latencies).p95,
  }));
}

/**
 * The filtered task-list page through this API and through PostGraphile, same database, same
 * concurrency, each server in a process of its own and autocannon in this one: for the seed's large user and for a user with
 * SMALL_USER_TASKS tasks (where the fixed cost per request shows), in alternating rounds.
 */
export async function benchPeer(
  knex: Knex,
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  // Six rounds: the machine's speed swings from minute to minute, and each round is one sample of it.
  const [rounds, seconds] = smoke ? [2, 1] : [6, 5];
  const largeTasks = smoke ? 2_000 : 100_000;
  await seedTasks(knex, smoke ? 20_000 : 1_000_000, largeTasks);
  await ensureSmallUser(knex);
  const [api, peer] = await Promise.all([
    startServer('ours', databaseUrl),
    startServer('postgraphile', databaseUrl),
  ]);
  const results: BenchResult[] = [];
  try {
    for (const [userId, tasks] of [
      [BENCH_USER, largeTasks],
      [SMALL_USER, SMALL_USER_TASKS],
    ] as const) {
      const token = await signToken(BENCH_SECRET, userId);
      const ours = { url: api.url, query: OURS, headers: { authorization: `Bearer ${token}` } };
      const theirs = { url: peer.url, query: peers(userId), headers: {} };
      await sameAnswer(ours, theirs);
      const [a, b] = await alternate(ours, theirs, rounds, seconds);
      const size = `${tasks.toLocaleString('en-US')} tasks`;
      const conditions = `filtered task page (pending, HIGH, by due date, first 20 + totalCount) for a user with ${size}; ${CONNECTIONS} connections, ${rounds} rounds of ${seconds} s each alternating the servers; autocannon in the benchmark process, each server in its own process, PostgreSQL, all on one 2-core machine`;
      const theirConditions = `${conditions}; Amber preset, no auth (a condition on userId instead)`;
      const name = (what: string) => `peer: ${what} (${size})`;
      results.push(
        row(name('this API requests/s'), a!.requestsPerSecond, 'req/s', conditions),
        row(name('this API p95'), a!.p95, 'ms', conditions),
        row(name('PostGraphile 5 requests/s'), b!.requestsPerSecond, 'req/s', theirConditions),
        row(name('PostGraphile 5 p95'), b!.p95, 'ms', theirConditions),
        row(
          name('this API relative to PostGraphile 5, requests/s'),
          Math.round((100 * a!.requestsPerSecond) / b!.requestsPerSecond) / 100,
          'x',
          `the two requests/s figures above; the goal is at least 1.5`,
        ),
      );
    }
    return results;
  } finally {
    await peer.stop();
    await api.stop();
  }
}

const row = (name: string, value: number, unit: string, conditions: string): BenchResult => ({
  name,
  value,
  unit,
  conditions,
});
