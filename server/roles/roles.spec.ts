import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireTestEnv } from '../../test/env.js';
import { eventually } from '../../test/kafka.js';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../test/postgres.js';
import { startTcpProxy } from '../../test/tcp-proxy.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'roles-spec-secret-roles-spec-secret-0123';

/** Runs `server/main.ts <role>` as its own process, as a Deployment would. */
function startRole(role: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', role], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_JWT_SECRET: SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    exited,
    output: () => output,
    async url() {
      await eventually(
        () => /"msg":"started"/.test(output) || child.exitCode !== null,
        `${role} to start`,
        60_000,
      );
      const url = /"url":"([^"]+)","msg":"started"/.exec(output)?.[1];
      if (!url) throw new Error(`${role} did not start:\n${output}`);
      return url;
    },
    async stop() {
      const asked = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - asked };
    },
  };
}

const status = async (url: string) => (await fetch(url)).status;

let databaseUrl: string;
let database: string;
const server = () => requireTestEnv('TEST_POSTGRES_SERVER_URL');

beforeAll(async () => {
  database = uniqueDatabaseName('todo_test_roles');
  databaseUrl = await createDatabase(server(), database);
});
afterAll(() => dropDatabase(server(), database));

it('migrate applies the migrations and exits 0', async () => {
  const migrate = startRole('migrate', { DATABASE_URL: databaseUrl });
  expect(await migrate.exited).toBe(0);
  expect(migrate.output()).toContain('"msg":"migrations applied"');
}, 60_000);

describe.each(['api', 'relay', 'notification', 'recurrence'])('the %s role', (role) => {
  it('starts alone, answers /health, /ready and /metrics, and stops on SIGTERM within 10 s', async () => {
    const running = startRole(role, {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
    });
    try {
      const url = await running.url();
      const started = performance.now();
      expect(await status(`${url}/health`)).toBe(200);
      expect(performance.now() - started).toBeLessThan(100);
      expect(await status(`${url}/ready`)).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
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
