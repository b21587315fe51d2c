import { randomUUID } from 'node:crypto';
import { signToken } from '../server/auth/jwt.ts';
import { ensureKafka } from '../test/kafka-broker.ts';
import { wsClient, wsSubscribe, type LiveSubscriber } from '../test/live.ts';
import { timedRequest } from './http.ts';
import { fanOutOneUser, fanOutSpread, type SpreadShape } from './live/fan-out.ts';
import { startLiveServer, type LiveServerProcess } from './live/server-process.ts';
import { latencyResults, type BenchResult } from './stats.ts';

const REMINDERS = 'subscription { reminders { task { id } remindAt } }';
const TASK_EVENTS = 'subscription { taskEvents { id task { title } } }';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A signed-in client of the live server for a new user. */
async function benchUser(server: LiveServerProcess) {
  const token = await signToken(server.secret, `bench-live-${randomUUID()}`);
  const request = timedRequest(server.url, token);
  return {
    token,
    gql: async (query: string, variables?: Record<string, unknown>) =>
      (await request(query, variables)).data,
  };
}

const CREATE = `mutation($title: String!, $dueAt: DateTime!) {
  createTask(input: { title: $title, dueAt: $dueAt, remindBeforeMinutes: 10 }) {
    ... on CreateTaskSuccess { task { id remindAt } } } }`;

/** Runs `work` over `items` with at most `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Waits until the live feed delivers: the server's group has joined Kafka. */
async function warmUp(server: LiveServerProcess) {
  const probe = await benchUser(server);
  const client = wsClient(server.url, probe.token);
  const subscriber = await wsSubscribe(client, TASK_EVENTS);
  for (let i = 0; subscriber.received.length === 0; i++) {
    if (i === 120) throw new Error('the live feed did not deliver within 60 s');
    await probe.gql(CREATE, { title: `probe ${i}`, dueAt: '2031-01-01T00:00:00Z' });
    await pause(500);
  }
  await subscriber.stop();
  await client.dispose();
}

/** 1,000 reminders due within one minute, 10 users with one WebSocket subscriber each. */
async function reminderLatency(server: LiveServerProcess, smoke: boolean): Promise<BenchResult[]> {
  const users = smoke ? 2 : 10;
  const perUser = smoke ? 5 : 100;
  const spreadMs = smoke ? 2_000 : 60_000;
  const startAt = Date.now() + (smoke ? 5_000 : 30_000);
  const subscribers: LiveSubscriber[] = [];
  const clients = [];
  const jobs: { user: Awaited<ReturnType<typeof benchUser>>; remindAt: number }[] = [];
  for (let u = 0; u < users; u++) {
    const user = await benchUser(server);
    const client = wsClient(server.url, user.token);
    clients.push(client);
    subscribers.push(await wsSubscribe(client, REMINDERS));
    for (let i = 0; i < perUser; i++) {
      jobs.push({
        user,
        remindAt: startAt + Math.floor(((u * perUser + i) * spreadMs) / (users * perUser)),
      });
    }
  }
  await inParallel(jobs, 8, async ({ user, remindAt }) => {
    await user.gql(CREATE, {
      title: 'reminder bench',
      dueAt: new Date(remindAt + 10 * 60_000).toISOString(),
    });
  });
  if (Date.now() > startAt) throw new Error('creating the reminders took longer than planned');
  const total = users * perUser;
  const deadline = startAt + spreadMs + 30_000;
  while (subscribers.reduce((sum, s) => sum + s.received.length, 0) < total) {
    if (Date.now() > deadline)
      throw new Error('not every reminder arrived within 30 s of its time');
    await pause(100);
  }
  const latencies = subscribers.flatMap((subscriber) =>
    subscriber.received.map(
      (received) => received.at - Date.parse(received.data!.reminders.remindAt),
    ),
  );
  await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
  await Promise.all(clients.map((client) => client.dispose()));
  return latencyResults(
    'reminders: reminder time to WebSocket subscriber',
    latencies,
    `${total} reminders due within ${spreadMs / 1000} s, ${users} users with one subscriber each; notification service, relay, Kafka and the API's live feed`,
  );
}

/**
 * The sizes of the fan-out runs; `BENCH_LIVE_STEPS` (e.g. `1000,5000`), `BENCH_LIVE_EVENTS` and
 * `BENCH_LIVE_SPREAD` (`users,socketsPerUser,subscriptionsPerSocket,writers`; users 0 skips it)
 * change them.
 */
function fanOutSizes(smoke: boolean) {
  const numbers = (value: string | undefined) => value?.split(',').map(Number);
  const steps = numbers(process.env.BENCH_LIVE_STEPS) ?? (smoke ? [20] : [1_000, 5_000, 10_000]);
  const [users = 0, socketsPerUser = 0, subscriptionsPerSocket = 0, writers = 0] =
    numbers(process.env.BENCH_LIVE_SPREAD) ?? (smoke ? [10, 2, 2, 10] : [1_000, 10, 5, 200]);
  const spread: SpreadShape = { users, socketsPerUser, subscriptionsPerSocket, writers };
  const events = Number(process.env.BENCH_LIVE_EVENTS ?? (smoke ? 3 : 20));
  return { steps, events, spread };
}

/**
 * Reminder latency, then WebSocket fan-out: subscribers spread over many users (memory per
 * subscription), then many subscribers of one user; against a live server in a process of its
 * own, the clients in processes of theirs. `BENCH_LIVE_SKIP_REMINDERS=1` skips the first.
 */
export async function benchLive(
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const kafka = await ensureKafka();
  const server = await startLiveServer(databaseUrl, kafka.brokers);
  const { steps, events, spread } = fanOutSizes(smoke);
  try {
    await warmUp(server);
    const reminders = process.env.BENCH_LIVE_SKIP_REMINDERS
      ? []
      : await reminderLatency(server, smoke);
    const spreadResults = spread.users > 0 ? await fanOutSpread(server, spread) : [];
    return [...reminders, ...spreadResults, ...(await fanOutOneUser(server, steps, events))];
  } finally {
    await server.stop();
    await kafka.stop();
  }
}
