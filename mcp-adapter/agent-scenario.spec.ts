import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { recurrenceConsumer } from '../consumers/recurrence/index.ts';
import { runConsumer } from '../consumers/runtime/run-consumer.ts';
import type { Consumer } from '../messaging/transport.ts';
import { OutboxRelay } from '../outbox/relay.ts';
import { createTask, useTestApi } from '../test/api.ts';
import { eventually, testKafka, testTopics } from '../test/kafka.ts';
import { callTool, connect, type TestClient } from '../test/mcp.ts';

/**
 * A chat agent's session: set up a category and a tag, add a recurring task with a reminder,
 * find it, complete it and get the next instance (made by the real recurring task service
 * through the outbox relay and Kafka), then look at what is coming up.
 */
const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });
let transport: ReturnType<typeof testKafka>;
let relay: OutboxRelay;
let consumer: Consumer;
let agent: TestClient;

beforeAll(async () => {
  transport = testKafka();
  await transport.ensureTopics(testTopics());
  relay = new OutboxRelay({ knex: api.knex, transport, logger, listenUrl: api.databaseUrl });
  await relay.start();
  consumer = await runConsumer({
    transport,
    knex: api.knex,
    logger,
    spec: { ...recurrenceConsumer, group: `mcp-scenario-${randomUUID()}` },
  });
  // Warm up: a first completion waits for the new consumer group to join Kafka, so the
  // scenario below measures the service in its steady state, within complete_task's 1.5 s wait.
  const warmUp = await api.user('warm-up');
  const { id } = await createTask(warmUp, { title: 'warm up', recurrenceRule: 'FREQ=DAILY' });
  await warmUp.gql(`mutation($id: ID!) { completeTask(id: $id) { __typename } }`, { id });
  await eventually(
    async () =>
      (await warmUp.gql(`query($id: ID!) { task(id: $id) { nextInstance { id } } }`, { id })).data!
        .task.nextInstance !== null,
    'the recurring task service to handle a first completion',
    45_000,
  );
  agent = await connect('stdio', api, (await api.user('agent')).token);
}, 90_000);

afterAll(async () => {
  await agent?.close();
  await consumer.stop();
  await relay.stop();
  await transport.close();
});

const call = async (name: string, args: Record<string, unknown> = {}) => {
  const result = await callTool(agent.client, name, args);
  expect([name, result.isError, result.text]).toEqual([name, false, expect.any(String)]);
  return result;
};

it('waters the plants every day at 09:00 Berlin time', async () => {
  const category = (await call('create_category', { name: 'Garden', color: '#22C55E' })).structured;
  const tag = (await call('create_tag', { name: 'plants' })).structured;

  const tomorrowNine = DateTime.now()
    .setZone('Europe/Berlin')
    .plus({ days: 1 })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const added = await call('add_task', {
    title: 'Water the plants',
    description: 'Balcony and kitchen window',
    due_date: tomorrowNine.toISO(),
    time_zone: 'Europe/Berlin',
    priority: 'medium',
    category_id: category.id,
    tag_ids: [tag.id],
    recurrence_rule: 'FREQ=DAILY',
    remind_before_minutes: 30,
  });
  const task = added.structured;
  expect(task).toMatchObject({
    recurrence_rule: 'FREQ=DAILY',
    recurrence_anchor: 'due_date',
    remind_before_minutes: 30,
    due_date: tomorrowNine.toISO({ suppressMilliseconds: true }),
    remind_at: tomorrowNine.minus({ minutes: 30 }).toISO({ suppressMilliseconds: true }),
  });
  expect(added.text).toContain('repeats FREQ=DAILY');

  const found = await call('search_tasks', { query: 'plant', status: 'pending' });
  expect(found.structured.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
  expect(found.text).toContain(task.id);

  const completed = await call('complete_task', { task_id: task.id });
  expect(completed.structured.task).toMatchObject({ id: task.id, completed: true });
  const next = completed.structured.next_instance;
  expect(next).toMatchObject({
    title: 'Water the plants',
    description: 'Balcony and kitchen window',
    completed: false,
    priority: 'medium',
    time_zone: 'Europe/Berlin',
    category: { id: category.id, name: 'Garden' },
    tags: [{ id: tag.id, name: 'plants' }],
    recurrence_rule: 'FREQ=DAILY',
    remind_before_minutes: 30,
    due_date: tomorrowNine.plus({ days: 1 }).toISO({ suppressMilliseconds: true }),
  });
  expect(next.id).not.toBe(task.id);
  expect(completed.text).toMatch(/Next instance: "Water the plants" \[/);

  const got = await call('get_task', { task_id: task.id });
  expect(got.structured.next_instance_id).toBe(next.id);

  const upcoming = await call('get_upcoming_tasks', { within_hours: 72 });
  expect(upcoming.structured.tasks.map((t: { id: string }) => t.id)).toEqual([next.id]);
  expect(upcoming.text).toContain(next.id);

  const done = await call('list_tasks', { status: 'completed' });
  expect(done.structured.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
}, 60_000);
