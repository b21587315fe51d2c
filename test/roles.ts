import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { requireTestEnv } from './env.ts';
import { eventually } from './kafka.ts';
import { assertSupportedNode } from './runtime.ts';

/** The project root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The JWT secret role processes started by tests use. */
export const SECRET = 'roles-spec-secret-roles-spec-secret-0123';

/** The advisory lock key of useConsumerGroupsAlone; no other spec takes it. */
const CONSUMER_GROUPS_LOCK = 7_140_001;

/**
 * Lets one spec file at a time start consumer roles (`recurrence`, `notification`, `delivery`):
 * theirs join fixed consumer groups on the run's one broker, so two specs' services would share a
 * group and each take events of the other's tasks, which its own database does not hold. Holds a
 * PostgreSQL advisory lock on the run's server from the spec's `beforeAll` to its `afterAll`.
 */
export function useConsumerGroupsAlone(): void {
  let holder: pg.Client | undefined;
  beforeAll(async () => {
    holder = new pg.Client({ connectionString: requireTestEnv('TEST_POSTGRES_SERVER_URL') });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [CONSUMER_GROUPS_LOCK]);
  }, 300_000);
  afterAll(async () => {
    await holder?.end();
  });
}

/** Runs `server/main.ts <role>` as its own process, as a Deployment would. */
export function startRole(role: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['server/main.ts', role], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      PORT: '0',
      METRICS_PORT: '0',
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
      const node = /"node":"(v[^"]+)","msg":"starting"/.exec(output)?.[1];
      assertSupportedNode(node, `the ${role} process`);
      return url;
    },
    /** Where the started process serves `/metrics` (its own port, apart from the API's). */
    async metricsUrl() {
      await this.url();
      const url = /"metrics":"([^"]+)","url":"[^"]+","msg":"started"/.exec(output)?.[1];
      if (!url) throw new Error(`${role} logged no metrics URL:\n${output}`);
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
