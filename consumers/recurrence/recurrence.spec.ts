import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { TOPICS } from '../../model/events/topics.ts';
import type { Consumer } from '../../messaging/transport.ts';
import { OutboxRelay } from '../../outbox/relay.ts';
import { createLabel, createTask, useTestApi, type TestUser } from '../../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../../test/kafka.ts';
import { runConsumer } from '../runtime/run-consumer.ts';
import { recurrenceConsumer } from './index.ts';

const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });
const group = `recurrence-${randomUUID()}`;
let transport: ReturnType<typeof testKafka>;
let relay: OutboxRelay;
let consumer: Consumer;
let deadLetters: Awaited<ReturnType<typeof collect>>;

beforeAll(async () => {
  transport = testKafka();
  await transport.ensureTopics(testTopics());
  relay = new OutboxRelay({ knex: api.knex, transport, logger, listenUrl: api.databaseUrl });
  await relay.start();
  consumer = await runConsumer({
    transport,
    knex: api.knex,
    logger,
    spec: { ...recurrenceConsumer, group },
  });
  deadLetters = await collect(transport, [TOPICS.deadLetter.name]);
}, 60_000);

afterAll(async () => {
  await deadLetters.stop();
  await consumer.stop();
  await relay.stop();
  await transport.close();
});

const NEXT = `query($id: ID!) { task(id: $id) { id nextInstance {
  id title description priority completed dueAt timeZone recurrenceRule recurrenceAnchor seriesId seriesIndex
  remindBeforeMinutes remindAt category { id } tags { id }
} } }`;

const nextOf = async (user: TestUser, id: string) =>
  (await user.gql(NEXT, { id })).data!.task.nextInstance;
const complete = (user: TestUser, id: string) =>
  user.gql(`mutation($id: ID!) { completeTask(id: $id) { __typename } }`, { id });
const waitForNext = async (user: TestUser, id: string) => {
  await eventually(async () => (await nextOf(user, id)) !== null, 'the next instance', 30_000);
  return nextOf(user, id);
};
const instancesOf = async (seriesId: string) =>
  api.knex('tasks').where({ series_id: seriesId }).orderBy('series_index');

it('creates the next instance with everything copied, on the next day at 09:00 Berlin', async () => {
  const user = await api.user();
  const category = await createLabel(user, 'Category', 'Home');
  const tagA = await createLabel(user, 'Tag', 'a');
  const tagB = await createLabel(user, 'Tag', 'b');
  const task = await createTask(user, {
    title: 'Water the plants',
    description: 'All of them',
    priority: 'HIGH',
    dueAt: '2030-03-30T09:00:00+01:00', // the day before summer time starts
    timeZone: 'Europe/Berlin',
    categoryId: category.id,
    tagIds: [tagA.id, tagB.id],
    recurrenceRule: 'FREQ=DAILY',
    remindBeforeMinutes: 30,
  });
  await complete(user, task.id);
  const next = await waitForNext(user, task.id);
  expect(next).toMatchObject({
    title: 'Water the plants',
    description: 'All of them',
    priority: 'HIGH',
    completed: false,
    dueAt: '2030-03-31T07:00:00.000Z',
    timeZone: 'Europe/Berlin',
    recurrenceRule: 'FREQ=DAILY',
    recurrenceAnchor: 'DUE_DATE',
    seriesId: task.id,
    seriesIndex: 2,
    remindBeforeMinutes: 30,
    remindAt: '2030-03-31T06:30:00.000Z',
    category: { id: category.id },
  });
  expect(next.tags.map((tag: { id: string }) => tag.id).sort()).toEqual([tagA.id, tagB.id].sort());
}, 60_000);

it('creates one instance for a completion delivered twice, or completed, reopened and completed again', async () => {
  const user = await api.user();
  const task = await createTask(user, {
    title: 'Once',
    dueAt: '2030-01-01T09:00:00Z',
    recurrenceRule: 'FREQ=WEEKLY',
  });
  await complete(user, task.id);
  await waitForNext(user, task.id);

  const [completion] = await api
    .knex('outbox')
    .where({ user_id: user.userId, event_type: 'task.completed' });
  await transport.publish([
    { topic: TOPICS.taskEvents.name, key: task.id, value: JSON.stringify(completion.payload) },
  ]);
  await user.gql(`mutation($id: ID!) { reopenTask(id: $id) { __typename } }`, { id: task.id });
  await complete(user, task.id);
  await eventually(
    async () => (await api.knex('processed_events').where({ consumer_group: group })).length >= 3,
    'the repeated and the second completion to be processed',
  );
  const instances = await instancesOf(task.id);
  expect(instances.map((row) => row.series_index)).toEqual([1, 2]);
}, 60_000);

it('ends a COUNT series after its last instance and says so', async () => {
  const user = await api.user();
  const first = await createTask(user, {
    title: 'Twice',
    dueAt: '2030-01-01T09:00:00Z',
    recurrenceRule: 'FREQ=DAILY;COUNT=2',
  });
  await complete(user, first.id);
  const second = await waitForNext(user, first.id);
  expect(second.seriesIndex).toBe(2);
  await complete(user, second.id);
  await eventually(
    async () =>
      (await api.knex('outbox').where({ user_id: user.userId, event_type: 'task.recurred' }))
        .length === 2,
    'two task.recurred events',
  );
  const recurred = await api
    .knex('outbox')
    .where({ user_id: user.userId, event_type: 'task.recurred' })
    .orderBy('id');
  expect(recurred.map((row) => row.payload.payload.seriesEnded)).toEqual([false, true]);
  expect(recurred[1].payload.payload.nextTask).toBeNull();
  expect(await nextOf(user, second.id)).toBeNull();
  expect(await instancesOf(first.id)).toHaveLength(2);
}, 60_000);

it('creates an instance whose date has already passed, overdue, rather than skipping it', async () => {
  const user = await api.user();
  const due = new Date(Date.now() - 3 * 86_400_000);
  const task = await createTask(user, {
    title: 'Late',
    dueAt: due.toISOString(),
    recurrenceRule: 'FREQ=DAILY',
  });
  await complete(user, task.id);
  const next = await waitForNext(user, task.id);
  expect(next.dueAt).toBe(new Date(due.getTime() + 86_400_000).toISOString());
  expect(next.remindAt).toBeNull();
}, 60_000);

it('dead-letters a completion whose stored rule is invalid', async () => {
  const user = await api.user();
  const task = await createTask(user, {
    title: 'Broken',
    dueAt: '2030-01-01T09:00:00Z',
    recurrenceRule: 'FREQ=DAILY',
  });
  await api.knex('tasks').where({ id: task.id }).update({ recurrence_rule: 'FREQ=SECONDLY' });
  await complete(user, task.id);
  const ours = () =>
    deadLetters.messages.filter((m) => m.headers['consumer-group'] === group && m.key === task.id);
  await eventually(() => ours().length === 1, 'the dead letter', 30_000);
  expect(ours()[0]!.headers.reason).toMatch(/FREQ=SECONDLY is not supported/);
  expect(await nextOf(user, task.id)).toBeNull();
}, 60_000);

it('attack: a rule that never occurs ends its series at once, without holding the event loop or the partition', async () => {
  const user = await api.user();
  // The fifth Monday of a month is never its first day: walking to the year 9999 took seconds.
  const never = await createTask(user, {
    title: 'Never',
    dueAt: '2030-01-07T09:00:00Z',
    recurrenceRule: 'FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1',
  });
  const daily = await createTask(user, {
    title: 'Daily',
    dueAt: '2030-01-07T09:00:00Z',
    recurrenceRule: 'FREQ=DAILY',
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    await complete(user, never.id);
    await complete(user, daily.id);
    // The completion after it, on the same partition or another, is not held up.
    expect((await waitForNext(user, daily.id)).dueAt).toBe('2030-01-08T09:00:00.000Z');
    await eventually(
      async () =>
        (await api.knex('outbox').where({ message_key: never.id, event_type: 'task.recurred' }))
          .length === 1,
      'the task.recurred event of the series that never occurs',
    );
  } finally {
    delay.disable();
  }
  expect(delay.max / 1e6).toBeLessThan(500);
  const [recurred] = await api
    .knex('outbox')
    .where({ message_key: never.id, event_type: 'task.recurred' });
  expect(recurred.payload.payload).toMatchObject({ seriesEnded: true, nextTask: null });
  expect(await nextOf(user, never.id)).toBeNull();
  expect(
    deadLetters.messages.filter((m) => m.headers['consumer-group'] === group && m.key === never.id),
  ).toEqual([]);
}, 60_000);
