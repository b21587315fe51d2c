import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { signToken } from '../server/auth/jwt.ts';
import { ensureKafka } from '../test/kafka-broker.ts';
import { wsClient, wsSubscribe, type LiveSubscriber } from '../test/live.ts';
import { timedRequest } from './http.ts';
import { latencyResults, percentiles, type BenchResult } from './stats.ts';

const SECRET = 'bench-live-secret-bench-live-secret-0123';
const REMINDERS = 'subscription { reminders { task { id } remindAt } }';
const TASK_EVENTS = 'subscription { taskEvents { id task { title } } }';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LiveServer {
  url: string;
  child: ChildProcess;
}

/** Starts bench/live-server.ts in its own process and waits for its URL. */
async function startLiveServer(databaseUrl: string, brokers: string): Promise<LiveServer> {
  const child = spawn(process.execPath, ['bench/live-server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      BENCH_DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      BENCH_SECRET: SECRET,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`live server exited with ${code}`)));
  });
  return { url, child };
}

/** A signed-in client of the live server for a new user. */
async function benchUser(url: string) {
  const token = await signToken(SECRET, `bench-live-${randomUUID()}`);
  const request = timedRequest(url, token);
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
async function warmUp(url: string) {
  const probe = await benchUser(url);
  const client = wsClient(url, probe.token);
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
async function reminderLatency(url: string, smoke: boolean): Promise<BenchResult[]> {
  const users = smoke ? 2 : 10;
  const perUser = smoke ? 5 : 100;
  const spreadMs = smoke ? 2_000 : 60_000;
  const startAt = Date.now() + (smoke ? 5_000 : 30_000);
  const subscribers: LiveSubscriber[] = [];
  const clients = [];
  const jobs: { user: Awaited<ReturnType<typeof benchUser>>; remindAt: number }[] = [];
  for (let u = 0; u < users; u++) {
    const user = await benchUser(url);
    const client = wsClient(url, user.token);
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

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Concurrent WebSocket subscribers of one user, in steps; at each step 20 task events, one a
 * second, each fanned out to every subscriber.
 */
async function fanOut(server: LiveServer, smoke: boolean): Promise<BenchResult[]> {
  const steps = smoke ? [20] : [1_000, 5_000, 10_000];
  const events = smoke ? 3 : 20;
  const user = await benchUser(server.url);
  const subscribers: LiveSubscriber[] = [];
  const clients: ReturnType<typeof wsClient>[] = [];
  const results: BenchResult[] = [];
  try {
    for (const step of steps) {
      const more = Array.from({ length: step - subscribers.length }, (_, i) => i);
      await inParallel(more, 50, async () => {
        const client = wsClient(server.url, user.token);
        clients.push(client);
        subscribers.push(await wsSubscribe(client, TASK_EVENTS));
      });
      await pause(1_000);
      const latencies: number[] = [];
      const spreads: number[] = [];
      for (let e = 0; e < events; e++) {
        const title = `fan-out ${step} ${e}`;
        const sentAt = Date.now();
        await user.gql(CREATE, { title, dueAt: '2031-01-01T00:00:00Z' });
        const deadline = Date.now() + 30_000;
        const arrivals = () =>
          subscribers.flatMap((subscriber) =>
            subscriber.received
              .filter((received) => received.data?.taskEvents.task.title === title)
              .map((received) => received.at),
          );
        let times = arrivals();
        while (times.length < subscribers.length) {
          if (Date.now() > deadline) throw new Error(`event ${title} missed subscribers`);
          await pause(20);
          times = arrivals();
        }
        latencies.push(...times.map((at) => at - sentAt));
        spreads.push(Math.max(...times) - Math.min(...times));
        for (const subscriber of subscribers) subscriber.received.length = 0;
        await pause(smoke ? 100 : 1_000);
      }
      const conditions = `${step} WebSocket subscribers of one user on one server process (RSS ${await rssMiB(server.child.pid!)} MiB); ${events} task events`;
      results.push(
        ...latencyResults(`fan-out: write to each of ${step} subscribers`, latencies, conditions),
      );
      const spread = percentiles(spreads);
      results.push({
        name: `fan-out: first to last of ${step} subscribers p95`,
        value: spread.p95,
        unit: 'ms',
        conditions,
      });
    }
    results.push({
      name: 'fan-out: concurrent WebSocket subscribers held',
      value: subscribers.length,
      unit: 'subscribers',
      conditions: 'the largest step run, every subscriber receiving every event; not a ceiling',
    });
    return results;
  } finally {
    await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

/** Reminder latency and WebSocket fan-out, against a live server in a process of its own. */
export async function benchLive(
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const kafka = await ensureKafka();
  const server = await startLiveServer(databaseUrl, kafka.brokers);
  try {
    await warmUp(server.url);
    return [...(await reminderLatency(server.url, smoke)), ...(await fanOut(server, smoke))];
  } finally {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
    await kafka.stop();
  }
}
