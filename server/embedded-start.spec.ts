import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wsClient, wsSubscribe } from '../test/live.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  token: string;
  /** Where it serves `/metrics`, apart from the API. */
  metrics: string;
  output: () => string;
}

/** Runs `npm start`'s entry with no configuration but a data folder, as a newcomer would. */
async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const url = output.match(/GraphQL API: (\S+)\/graphql/)?.[1];
    const token = output.match(/Development token[^\n]*\n(\S+)/)?.[1];
    const metrics = output.match(/"metrics":"([^"]+)"/)?.[1];
    if (url && token && metrics) return { child, url, token, metrics, output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function graphql(started: Started, query: string, token = started.token) {
  const response = await fetch(`${started.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

describe('the embedded default (npm start with nothing configured)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'todo-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('serves GraphQL and /health, prints a working token, stops on SIGTERM and keeps its data', async () => {
    const first = await start(dataDir);
    try {
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      expect((await fetch(`${first.url}/ready`)).status).toBe(200);
      // Loopback only unless HOST says otherwise; metrics on their own port, not the API's.
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${first.url}/metrics`)).status).toBe(404);
      expect(await (await fetch(first.metrics)).text()).toContain('# TYPE todo_outbox_backlog ');
      expect(first.output()).toContain('migrations applied');
      expect(await graphql(first, '{ __typename me { id } }')).toEqual({
        status: 200,
        body: { data: { __typename: 'Query', me: { id: 'dev-user' } } },
      });
      const created = await graphql(
        first,
        'mutation { createTask(input: { title: "Survives a restart" }) { __typename } }',
      );
      expect(created.body).toEqual({ data: { createTask: { __typename: 'CreateTaskSuccess' } } });

      // The relay, the in-process transport and the recurring task service run in this process.
      const recurring = await graphql(
        first,
        'mutation { createTask(input: { title: "Daily", dueAt: "2030-01-01T09:00:00+01:00", timeZone: "Europe/Berlin", recurrenceRule: "FREQ=DAILY" }) { ... on CreateTaskSuccess { task { id } } } }',
      );
      const id = recurring.body.data.createTask.task.id;
      await graphql(first, `mutation { completeTask(id: "${id}") { __typename } }`);
      let next = null;
      for (let attempt = 0; attempt < 100 && !next; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        next = (await graphql(first, `{ task(id: "${id}") { nextInstance { dueAt } } }`)).body.data
          .task.nextInstance;
      }
      expect(next).toEqual({ dueAt: '2030-01-02T08:00:00.000Z' });

      // The notification service runs here too: a reminder two seconds ahead is marked sent and
      // reaches a live subscription.
      const client = wsClient(
        `${first.url.replace('localhost', '127.0.0.1')}/graphql`,
        first.token,
      );
      const live = await wsSubscribe(client, 'subscription { reminders { late task { title } } }');
      const dueAt = new Date(Date.now() + 60_000).toISOString();
      const remindAt = new Date(Date.now() + 2_000).toISOString();
      const reminded = await graphql(
        first,
        `mutation { createTask(input: { title: "Soon", dueAt: "${dueAt}" }) { ... on CreateTaskSuccess { task { id } } } }`,
      );
      const soon = reminded.body.data.createTask.task.id;
      await graphql(
        first,
        `mutation { setReminder(taskId: "${soon}", remindAt: "${remindAt}") { __typename } }`,
      );
      let sentAt = null;
      for (let attempt = 0; attempt < 100 && !sentAt; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        sentAt = (await graphql(first, `{ task(id: "${soon}") { reminderSentAt } }`)).body.data.task
          .reminderSentAt;
      }
      expect(new Date(sentAt).getTime()).toBeGreaterThanOrEqual(new Date(remindAt).getTime());
      for (let attempt = 0; attempt < 50 && live.received.length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(live.received.map((received) => received.data)).toEqual([
        { reminders: { late: false, task: { title: 'Soon' } } },
      ]);
      await live.stop();
      await client.dispose();
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    const second = await start(dataDir);
    try {
      const titles = await graphql(
        second,
        '{ tasks(orderBy: { field: TITLE }) { edges { node { title } } } }',
        first.token,
      );
      expect(titles.body.errors).toBeUndefined();
      expect(titles.body.data.tasks.edges.map((edge: any) => edge.node.title)).toEqual([
        'Daily',
        'Daily',
        'Soon',
        'Survives a restart',
      ]);
      expect(second.output()).not.toContain('migrations applied');
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 120_000);
});
