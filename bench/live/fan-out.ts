import { randomUUID } from 'node:crypto';
import { signToken } from '../../server/auth/jwt.ts';
import { timedRequest } from '../http.ts';
import { latencyResults, percentiles, type BenchResult } from '../stats.ts';
import { ClientPool, type Seen } from './client-pool.ts';
import type { LiveServerProcess } from './server-process.ts';

/** What the subscribers select: what a task list shows of a changed task. */
const TASK_EVENTS = 'subscription { taskEvents { id type task { id title completed dueAt } } }';
const CREATE = `mutation($title: String!) {
  createTask(input: { title: $title, dueAt: "2031-01-01T00:00:00Z" }) { __typename } }`;
const ARRIVAL_TIMEOUT_MS = 30_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bench user: its token, the label its tasks' titles start with, and a GraphQL client. */
async function benchUser(server: LiveServerProcess, label: string) {
  const token = await signToken(server.secret, `bench-live-${randomUUID()}`);
  const request = timedRequest(server.url, token);
  return { token, label, create: (title: string) => request(CREATE, { title }) };
}

/** Creates a task titled `title` and waits until `expected` subscriptions received its event. */
async function deliver(
  pool: ClientPool,
  user: Awaited<ReturnType<typeof benchUser>>,
  title: string,
  expected: number,
): Promise<{ sentAt: number; answeredAt: number; seen: Seen }> {
  const sentAt = Date.now();
  await user.create(title);
  const answeredAt = Date.now();
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  for (;;) {
    const seen = await pool.seen(title);
    if (seen.at.length >= expected)
      return { sentAt, answeredAt, seen: await pool.seen(title, true) };
    if (Date.now() > deadline)
      throw new Error(`event ${title} reached ${seen.at.length} of ${expected} subscriptions`);
    await pause(20);
  }
}

const clientProcesses = (sockets: number) => Math.max(1, Math.min(4, Math.ceil(sockets / 5_000)));

/**
 * WebSocket subscribers of one user, in steps; at each step `events` task events, one a second,
 * each fanned out to every subscriber. Figures from each write's start to each arrival.
 */
export async function fanOutOneUser(
  server: LiveServerProcess,
  steps: number[],
  events: number,
): Promise<BenchResult[]> {
  const user = await benchUser(server, 'one');
  const pool = ClientPool.start(clientProcesses(Math.max(...steps)));
  const results: BenchResult[] = [];
  let held = 0;
  try {
    for (const step of steps) {
      const more = Array.from({ length: step - held }, () => ({ token: user.token, label: 'one' }));
      const { opened, failed } = await pool.open(server.url, more, 1, TASK_EVENTS);
      if (failed > 0) throw new Error(`${failed} of ${step - held} sockets did not open`);
      held += opened;
      await pause(1_000);
      const latencies: number[] = [];
      const spreads: number[] = [];
      for (let e = 0; e < events; e++) {
        const { sentAt, seen } = await deliver(pool, user, `one ${step}-${e}`, held);
        latencies.push(...seen.at.map((at) => at - sentAt));
        spreads.push(Math.max(...seen.at) - Math.min(...seen.at));
        await pause(1_000);
      }
      const conditions = `${step} WebSocket subscribers of one user on one server process (RSS ${await server.rssMiB()} MiB), clients in ${clientProcesses(Math.max(...steps))} processes of their own on the same machine; ${events} task events, one a second`;
      results.push(
        ...latencyResults(`fan-out: write to each of ${step} subscribers`, latencies, conditions),
        {
          name: `fan-out: first to last of ${step} subscribers p95`,
          value: percentiles(spreads).p95,
          unit: 'ms',
          conditions,
        },
      );
    }
    return results;
  } finally {
    await pool.close();
  }
}

/** How the spread run is laid out. */
export interface SpreadShape {
  users: number;
  socketsPerUser: number;
  subscriptionsPerSocket: number;
  /** Users that write one task each to measure delivery, 20 at a time. */
  writers: number;
}

/**
 * Many users' subscribers held by one process: the server's memory before and after they
 * subscribed (after a full GC), per subscription; then one task event from each of `writers`
 * users, checked to reach exactly that user's subscriptions.
 */
export async function fanOutSpread(
  server: LiveServerProcess,
  shape: SpreadShape,
): Promise<BenchResult[]> {
  const { users: userCount, socketsPerUser, subscriptionsPerSocket, writers } = shape;
  const users = await Promise.all(
    Array.from({ length: userCount }, (_, u) => benchUser(server, `u${u}`)),
  );
  const sockets = users.flatMap((user) =>
    Array.from({ length: socketsPerUser }, () => ({ token: user.token, label: user.label })),
  );
  const subscriptions = sockets.length * subscriptionsPerSocket;
  const pool = ClientPool.start(clientProcesses(sockets.length));
  try {
    const before = await server.memory();
    const { failed } = await pool.open(server.url, sockets, subscriptionsPerSocket, TASK_EVENTS);
    if (failed > 0) throw new Error(`${failed} of ${sockets.length} sockets did not open`);
    await pause(3_000);
    const after = await server.memory();
    const latencies: number[] = [];
    const afterAnswer: number[] = [];
    let strangers = 0;
    let duplicates = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < writers) {
          const user = users[next++]!;
          const expected = socketsPerUser * subscriptionsPerSocket;
          const title = `${user.label} spread`;
          const { sentAt, answeredAt, seen } = await deliver(pool, user, title, expected);
          latencies.push(...seen.at.map((at) => at - sentAt));
          afterAnswer.push(...seen.at.map((at) => at - answeredAt));
          strangers += seen.strangers;
          duplicates += seen.at.length - expected;
        }
      }),
    );
    const held = `${subscriptions} subscriptions: ${userCount} users x ${socketsPerUser} WebSockets x ${subscriptionsPerSocket} subscriptions, held by one server process`;
    const perSubscription = (bytes: number) => Math.round(bytes / subscriptions);
    const memory = `${held}; after a full GC, before opening them and 3 s after the last subscribed`;
    return [
      {
        name: 'fan-out spread: subscriptions held by one process',
        value: subscriptions,
        unit: 'subscriptions',
        conditions: `${held} (${sockets.length} sockets: the process's open-file limit is ${server.openFileLimit}); every one received its user's events only`,
      },
      {
        name: 'fan-out spread: heap per subscription',
        value: perSubscription(after.heapUsed - before.heapUsed),
        unit: 'bytes',
        conditions: `${memory}; heap ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} MiB`,
      },
      {
        name: 'fan-out spread: RSS per subscription',
        value: perSubscription(after.rss - before.rss),
        unit: 'bytes',
        conditions: `${memory}; RSS ${mib(before.rss)} -> ${mib(after.rss)} MiB`,
      },
      ...latencyResults(
        'fan-out spread: write to each subscriber of its user',
        latencies,
        `${held}; one task event from each of ${writers} users, 20 writing at a time, from each write's start; ${strangers} deliveries to another user's subscription, ${duplicates} duplicates`,
      ),
      ...latencyResults(
        'fan-out spread: write answered to each subscriber of its user',
        afterAnswer,
        `${held}; as above, from the API's answer to the write (the part the live feed adds)`,
      ),
    ];
  } finally {
    await pool.close();
  }
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
