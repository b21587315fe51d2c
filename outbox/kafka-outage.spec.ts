import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { runConsumer } from '../consumers/runtime/run-consumer.ts';
import { TOPICS } from '../model/events/topics.ts';
import type { Consumer } from '../messaging/transport.ts';
import { useTestApi } from '../test/api.ts';
import { eventually, testKafka, testTopics } from '../test/kafka.ts';
import { OutboxRelay } from './relay.ts';
import { unsentRows } from './unsent.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORT = 19392;
const broker = (command: 'start' | 'stop', clean = false) =>
  promisify(execFile)('bash', ['scripts/kafka.sh', command], {
    cwd: ROOT,
    env: {
      ...process.env,
      KAFKA_PORT: String(PORT),
      KAFKA_CONTROLLER_PORT: String(PORT + 1),
      KAFKA_CLEAN: clean ? '1' : '',
    },
  });

const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });
let transport: ReturnType<typeof testKafka>;
let relay: OutboxRelay;
let consumer: Consumer;

beforeAll(async () => {
  await broker('start', true);
  transport = testKafka(`127.0.0.1:${PORT}`);
  await transport.ensureTopics(testTopics());
}, 120_000);

afterAll(async () => {
  await consumer?.stop();
  await relay?.stop();
  await transport?.close();
  await broker('stop');
}, 60_000);

it('keeps accepting writes while Kafka is down and delivers every event once when it returns', async () => {
  const user = await api.user();
  const applied: string[] = [];
  relay = new OutboxRelay({ knex: api.knex, transport, logger, pollIntervalMs: 200 });
  await relay.start();
  consumer = await runConsumer({
    transport,
    knex: api.knex,
    logger,
    spec: {
      group: `outage-${randomUUID()}`,
      topics: [TOPICS.taskEvents.name],
      types: ['task.created'],
      handle: async (event) => void (event.userId === user.userId && applied.push(event.taskId)),
    },
  });

  await broker('stop');
  const created: string[] = [];
  for (let batch = 0; batch < 50; batch++) {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        user.gql(
          `mutation($t: String!) { createTask(input: { title: $t }) { ... on CreateTaskSuccess { task { id } } } }`,
          {
            t: `written during the outage ${batch * 10 + i}`,
          },
        ),
      ),
    );
    for (const { status, data } of results) {
      expect(status).toBe(200);
      created.push(data!.createTask.task.id);
    }
  }
  expect(created).toHaveLength(500);
  const backlog = await unsentRows(api.knex)
    .where({ user_id: user.userId })
    .clearSelect()
    .count({ n: '*' })
    .first();
  expect(Number(backlog!.n)).toBe(500);

  await broker('start');
  await eventually(() => applied.length >= 500, 'all 500 events after Kafka returned', 120_000);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(applied).toHaveLength(500);
  expect([...applied].sort()).toEqual([...created].sort());
}, 240_000);
