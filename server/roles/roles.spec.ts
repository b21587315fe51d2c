import { spawn } from 'node:child_process';
import { requireTestEnv } from '../../test/env.ts';
import { eventually } from '../../test/kafka.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../test/postgres.ts';
import { startTcpProxy } from '../../test/tcp-proxy.ts';
import { ROOT, SECRET, startRole, useConsumerGroupsAlone } from '../../test/roles.ts';
import { assertSupportedNode } from '../../test/runtime.ts';

// Starts consumer roles on the run's broker: see useConsumerGroupsAlone.
useConsumerGroupsAlone();

const status = async (url: string) => (await fetch(url)).status;

let databaseUrl: string;
let database: string;
const server = () => requireTestEnv('TEST_POSTGRES_SERVER_URL');

beforeAll(async () => {
  database = uniqueDatabaseName('todo_test_roles');
  databaseUrl = await createDatabase(server(), database);
});
afterAll(() => dropDatabase(server(), database));

it('migrate logs its Node version, applies the migrations and exits 0', async () => {
  const migrate = startRole('migrate', { DATABASE_URL: databaseUrl });
  expect(await migrate.exited).toBe(0);
  expect(migrate.output()).toContain('"msg":"migrations applied"');
  const node = /"node":"(v[^"]+)","msg":"starting"/.exec(migrate.output())?.[1];
  expect(() => assertSupportedNode(node, 'migrate')).not.toThrow();
}, 60_000);

describe.each(['api', 'relay', 'notification', 'recurrence', 'delivery'])('the %s role', (role) => {
  it('starts alone, answers /health and /ready, serves /metrics on its metrics port only, and stops on SIGTERM within 10 s', async () => {
    const running = startRole(role, {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
    });
    try {
      const url = await running.url();
      expect(await status(`${url}/health`)).toBe(200);
      expect(await status(`${url}/ready`)).toBe(200);
      expect(await status(`${url}/metrics`)).toBe(404);
      const metrics = await fetch(await running.metricsUrl());
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('# TYPE todo_');
      expect(text).toContain('process_resident_memory_bytes');
      const stopped = await running.stop();
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
      expect(running.output()).toContain('"msg":"stopped"');
      expect(running.output()).not.toContain(SECRET);
    } finally {
      running.child.kill('SIGKILL');
    }
  }, 90_000);
});

it('refuses an unknown role, naming the roles there are', async () => {
  const running = startRole('web', {});
  expect(await running.exited).toBe(1);
  expect(running.output()).toContain('Unknown role "web"');
  expect(running.output()).toContain('notification:');
}, 30_000);

it('turns /ready to 503 while PostgreSQL is unreachable and back to 200 when it returns', async () => {
  const target = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(databaseUrl);
  proxied.port = String(proxy.port);
  const running = startRole('relay', {
    DATABASE_URL: proxied.toString(),
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
  });
  try {
    const url = await running.url();
    expect(await status(`${url}/ready`)).toBe(200);
    await proxy.cut();
    await eventually(async () => (await status(`${url}/ready`)) === 503, '503', 15_000);
    expect(await status(`${url}/health`)).toBe(200);
    await proxy.restore();
    await eventually(async () => (await status(`${url}/ready`)) === 200, '200 again', 15_000);
    expect((await running.stop()).code).toBe(0);
  } finally {
    running.child.kill('SIGKILL');
    await proxy.close();
  }
}, 90_000);

describe('with a broker of its own', () => {
  const env = { ...process.env, KAFKA_PORT: '29392', KAFKA_CONTROLLER_PORT: '29393' };
  const kafka = (command: 'start' | 'stop', clean = false) =>
    new Promise<void>((resolve, reject) => {
      const script = spawn('bash', ['scripts/kafka.sh', command], {
        cwd: ROOT,
        env: { ...env, KAFKA_CLEAN: clean ? '1' : '0' },
        stdio: 'ignore',
      });
      script.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited ${code}`)),
      );
    });
  afterAll(() => kafka('stop'));

  it('turns /ready to 503 while Kafka is stopped and back to 200 when it returns', async () => {
    await kafka('start', true);
    const running = startRole('api', {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: '127.0.0.1:29392',
    });
    try {
      const url = await running.url();
      expect(await status(`${url}/ready`)).toBe(200);
      await kafka('stop');
      await eventually(async () => (await status(`${url}/ready`)) === 503, '503', 20_000);
      expect(await status(`${url}/health`)).toBe(200);
      await kafka('start');
      await eventually(async () => (await status(`${url}/ready`)) === 200, '200 again', 60_000);
      expect((await running.stop()).code).toBe(0);
    } finally {
      running.child.kill('SIGKILL');
    }
  }, 180_000);
});
