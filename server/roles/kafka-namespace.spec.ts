import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { signToken } from '../auth/jwt.ts';
import { requireTestEnv } from '../../test/env.ts';
import { eventually } from '../../test/kafka.ts';
import { completeTask, createTask, type TestUser } from '../../test/api.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../test/postgres.ts';
import { SECRET, startRole } from '../../test/roles.ts';

/*
 * The deployed roles under KAFKA_NAMESPACE, on the run's shared broker. This spec takes no
 * useConsumerGroupsAlone lock: its groups are its own namespace's, so other specs' consumer
 * roles, running meanwhile on the same broker, neither take its events nor give it theirs.
 */
const namespace = `roles-${randomUUID().slice(0, 8)}`;
const server = () => requireTestEnv('TEST_POSTGRES_SERVER_URL');
let database: string;
let env: Record<string, string>;
const running: ReturnType<typeof startRole>[] = [];

beforeAll(async () => {
  database = uniqueDatabaseName('todo_test_namespace');
  env = {
    DATABASE_URL: await createDatabase(server(), database),
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
    KAFKA_NAMESPACE: namespace,
  };
  expect(await startRole('migrate', env).exited).toBe(0);
}, 60_000);
afterAll(async () => {
  await Promise.all(running.map((role) => role.stop().catch(() => role.child.kill('SIGKILL'))));
  await dropDatabase(server(), database);
}, 60_000);

it('runs the API, the relay and the recurrence service under the namespace, end to end', async () => {
  for (const role of ['relay', 'recurrence', 'api']) running.push(startRole(role, env));
  const api = running.at(-1)!;
  const url = `${await api.url()}/graphql`;
  await Promise.all(running.map((role) => role.url()));

  const userId = `namespaced-${randomUUID()}`;
  const token = await signToken(SECRET, userId);
  const user: TestUser = {
    userId,
    token,
    gql: async (query, variables) =>
      (await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      }).then((response) => response.json())) as never,
  };
  const task = await createTask(user, {
    title: 'Water the plants',
    dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    recurrenceRule: 'FREQ=DAILY',
  });
  await completeTask(user, task.id);

  // The recurrence service read the completion from <namespace>.task-events and wrote the next one.
  await eventually(async () => {
    const { data } = await user.gql<{ tasks: { totalCount: number } }>(
      '{ tasks(filter: { status: PENDING }) { totalCount } }',
    );
    return data?.tasks.totalCount === 1;
  }, 'the next instance of the recurring task');

  const admin = new Kafka({
    brokers: env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    for (const topic of ['task-events', 'task-reminders', 'task-recurrence', 'task-dead-letter'])
      expect(topics).toContain(`${namespace}.${topic}`);
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
    expect(groups.filter((group) => group.startsWith(`${namespace}.`))).toEqual(
      expect.arrayContaining([expect.stringMatching(/recurrence/)]),
    );
  } finally {
    await admin.disconnect();
  }
}, 120_000);
