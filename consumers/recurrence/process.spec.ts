import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireTestEnv } from '../../test/env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'recurrence'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

it('runs as its own process and stops cleanly on SIGTERM', async () => {
  const service = start({
    DATABASE_URL: requireTestEnv('TEST_DATABASE_URL'),
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
  });
  const deadline = Date.now() + 60_000;
  while (!service.output().includes('"msg":"started"')) {
    if (Date.now() > deadline) throw new Error(`did not start:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stopAsked = Date.now();
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect(Date.now() - stopAsked).toBeLessThan(10_000);
  expect(service.output()).toContain('"msg":"stopped"');
}, 90_000);

it('refuses to start without DATABASE_URL and KAFKA_BROKERS, saying what to do', async () => {
  const service = start({});
  expect(await service.exited).toBe(1);
  expect(service.output()).toContain('needs DATABASE_URL and KAFKA_BROKERS');
}, 30_000);
