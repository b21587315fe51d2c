import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { TOPICS } from '../model/events/topics.ts';
import type { Consumer, IncomingMessage } from '../messaging/transport.ts';
import { createReminderTask } from '../test/notification.ts';
import { completeTask, createTask, type TestUser } from '../test/api.ts';
import { requireTestEnv, uniqueUserId } from '../test/env.ts';
import { eventually, testKafka, testTopics } from '../test/kafka.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../test/postgres.ts';
import { SECRET, startRole, useConsumerGroupsAlone } from '../test/roles.ts';
import { signToken } from '../server/auth/jwt.ts';
import { createKnex } from './knex.ts';
import { SessionListener } from './session-listener.ts';

// Starts consumer roles on the run's broker: see useConsumerGroupsAlone.
useConsumerGroupsAlone();

/*
 * Managed PostgreSQL (Neon, Supabase) hands out a pooled URL that goes through PgBouncer in
 * transaction mode, where a client has a server connection for one transaction at a time. Here
 * Debian's PgBouncer plays that pooler in front of the test server: DATABASE_URL points at it,
 * DATABASE_DIRECT_URL at the server. Debian's PgBouncer (1.18) keeps no named statements across
 * server connections, so every process here runs with DATABASE_PREPARED_STATEMENTS=false.
 */

const PGBOUNCER = process.env.PGBOUNCER ?? '/usr/sbin/pgbouncer';
const server = () => requireTestEnv('TEST_POSTGRES_SERVER_URL');
const kafka = testKafka();
const UNNAMED = { DATABASE_PREPARED_STATEMENTS: 'false' };
let bouncer: ChildProcess | undefined;
let bouncerDir: string;
let database: string;
let direct: string;
let pooled: string;
let api: ReturnType<typeof startRole> | undefined;
let apiUrl: string;
let consumer: Consumer;
const arrived: IncomingMessage[] = [];
const arrivedFor = (key: string, topic: string = TOPICS.taskEvents.name) =>
  arrived.filter((message) => message.key === key && message.topic === topic);

beforeAll(async () => {
  database = uniqueDatabaseName('todo_test_pgbouncer');
  direct = await createDatabase(server(), database);
  bouncerDir = await mkdtemp(path.join(tmpdir(), 'todo-pgbouncer-'));
  const port = await freePort();
  bouncer = await startPgBouncer(bouncerDir, new URL(server()), port);
  const url = new URL(direct);
  url.port = String(port);
  pooled = url.toString();
  await kafka.ensureTopics(testTopics());
  consumer = await kafka.consume({
    groupId: `pgbouncer-spec-${uniqueUserId('group')}`,
    topics: [TOPICS.taskEvents.name, TOPICS.taskReminders.name],
    fromBeginning: true,
    handleBatch: async (messages) => void arrived.push(...messages),
  });
}, 60_000);

afterAll(async () => {
  api?.child.kill('SIGKILL');
  await consumer?.stop();
  await kafka.close();
  bouncer?.kill('SIGINT');
  if (bouncer && bouncer.exitCode === null) await new Promise((r) => bouncer!.once('exit', r));
  await rm(bouncerDir, { recursive: true, force: true });
  await dropDatabase(server(), database);
}, 30_000);

it('migrate applies the migrations through the pooler alone, and on the direct URL', async () => {
  const pooledOnly = startRole('migrate', { DATABASE_URL: pooled, ...UNNAMED });
  expect(await pooledOnly.exited).toBe(0);
  expect(pooledOnly.output()).toContain('"msg":"migrations applied"');
  const withDirect = startRole('migrate', {
    DATABASE_URL: pooled,
    DATABASE_DIRECT_URL: direct,
    ...UNNAMED,
  });
  expect(await withDirect.exited).toBe(0);
  expect(withDirect.output()).toContain('"msg":"no pending migrations"');
}, 30_000);

it('a LISTEN hears a NOTIFY from the pool on the direct URL, never through the pooler', async () => {
  const knex = createKnex(pooled, { poolMax: 2, preparedStatements: false });
  const heard = async (url: string) => {
    const listener = new SessionListener({
      url,
      channel: 'pgbouncer_spec',
      knex,
      logger: pino({ level: 'silent' }),
      onNotify: () => undefined,
      probeTimeoutMs: 1_000,
    });
    await listener.start();
    try {
      return await listener.probe();
    } finally {
      await listener.stop();
    }
  };
  try {
    expect(await heard(direct)).toBe(true);
    expect(await heard(pooled)).toBe(false);
  } finally {
    await knex.destroy();
  }
}, 30_000);

describe('every role on the pooled URL, with the direct URL for sessions', () => {
  const env = () => ({
    DATABASE_URL: pooled,
    DATABASE_DIRECT_URL: direct,
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
    ...UNNAMED,
  });
  let user: TestUser;
  beforeAll(async () => {
    api = startRole('api', env());
    apiUrl = await api.url();
    user = await testUser(`${apiUrl}/graphql`);
  }, 60_000);

  it('writes through the API, relays at once, sends reminders and creates next instances', async () => {
    // The notification service reads pending reminders at start, whatever its consumer group.
    const reminded = await createReminderTask(user, new Date(Date.now() + 4_000));
    const roles = ['relay', 'recurrence', 'notification'].map((role) => startRole(role, env()));
    const relay = roles[0]!;
    try {
      await Promise.all(roles.map((role) => role.url()));
      await eventually(
        () => relay.output().includes('"msg":"listening for NOTIFY on a session"'),
        'the relay to hear its probe NOTIFY',
        10_000,
      );
      expect(relay.output()).toContain(`"server":"${new URL(direct).host}/${database}"`);

      // From the writing transaction (its outbox row's created_at) to the broker's timestamp,
      // after a first write that has the relay's producer connect to the partition leaders.
      const knex = createKnex(pooled, { poolMax: 1, preparedStatements: false });
      const latencies: number[] = [];
      try {
        for (let i = -1; i < 6; i++) {
          const task = await createTask(user, { title: `prompt ${i}` }, 'id');
          await eventually(() => arrivedFor(task.id).length > 0, 'the task.created event', 5_000);
          const row = await knex('outbox').where({ message_key: task.id }).first('created_at');
          if (i >= 0) latencies.push(arrivedFor(task.id)[0]!.timestamp - row.created_at.getTime());
          await pause(100 + Math.random() * 300);
        }
      } finally {
        await knex.destroy();
      }
      latencies.sort((a, b) => a - b);
      // Polling each second would put half of them past 500 ms.
      expect(latencies[3]).toBeLessThan(250);
      expect(latencies.filter((ms) => ms < 500).length).toBeGreaterThanOrEqual(5);

      const recurring = await createTask(
        user,
        {
          title: 'every day',
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          recurrenceRule: 'FREQ=DAILY',
        },
        'id',
      );
      await completeTask(user, recurring.id, 'id completed');
      const next = async () =>
        (
          await user.gql(`query($id: ID!) { task(id: $id) { nextInstance { id } } }`, {
            id: recurring.id,
          })
        ).data?.task?.nextInstance;
      await eventually(async () => Boolean(await next()), 'the next instance', 20_000);

      await eventually(
        () => arrivedFor(reminded.id, TOPICS.taskReminders.name).length > 0,
        'the reminder.due event',
        20_000,
      );
      expect(arrivedFor(reminded.id, TOPICS.taskReminders.name)[0]!.headers['event-type']).toBe(
        'reminder.due',
      );

      const stopped = await Promise.all(roles.map((role) => role.stop()));
      expect(stopped.map(({ code }) => code)).toEqual([0, 0, 0]);
      expect(relay.output()).not.toContain('NOTIFY does not reach');
    } finally {
      for (const role of roles) role.child.kill('SIGKILL');
    }
  }, 120_000);

  it('with the pooled URL alone, the relay says so and still publishes by polling', async () => {
    const relay = startRole('relay', { ...env(), DATABASE_DIRECT_URL: '' });
    try {
      await relay.url();
      await eventually(
        () => relay.output().includes('NOTIFY does not reach the LISTEN connection'),
        'the relay to find that NOTIFY does not reach it',
        10_000,
      );
      const asked = Date.now();
      const task = await createTask(user, { title: 'polled' }, 'id');
      await eventually(() => arrivedFor(task.id).length > 0, 'the polled event', 5_000);
      expect(arrivedFor(task.id)[0]!.timestamp - asked).toBeLessThan(2_000);
      expect((await relay.stop()).code).toBe(0);
    } finally {
      relay.child.kill('SIGKILL');
    }
  }, 60_000);
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function testUser(graphqlUrl: string): Promise<TestUser> {
  const userId = uniqueUserId('pgbouncer');
  const token = await signToken(SECRET, userId);
  return {
    userId,
    token,
    async gql(query, variables) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: any };
      return { status: response.status, data: body.data, errors: body.errors };
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs PgBouncer in the foreground, pooling per transaction, in front of `target`. */
async function startPgBouncer(dir: string, target: URL, port: number): Promise<ChildProcess> {
  const user = decodeURIComponent(target.username || 'postgres');
  const password = decodeURIComponent(target.password);
  await writeFile(path.join(dir, 'userlist.txt'), `"${user}" "${password}"\n`);
  await writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      // Fewer server connections than clients, so transactions of different clients share them.
      'default_pool_size = 4',
      'max_client_conn = 200',
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root; it reads its files before it becomes `nobody`.
  const asRoot = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const child = spawn(PGBOUNCER, [...asRoot, path.join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk) => (log += chunk));
  await eventually(
    () => log.includes('process up') || child.exitCode !== null,
    'PgBouncer to start',
    10_000,
  );
  if (child.exitCode !== null) throw new Error(`PgBouncer did not start:\n${log}`);
  return child;
}
