import { parseEvent } from '../model/events/parse-event.ts';
import type { Event } from '../model/events/contracts.ts';
import type { TaskSnapshot } from '../model/events/task-snapshot.ts';
import { TOPICS } from '../model/events/topics.ts';
import { pino } from 'pino';
import { createTask, startTestApi, type TestApi } from '../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../test/kafka.ts';
import { OutboxRelay } from './relay.ts';

let api: TestApi;
let transport: ReturnType<typeof testKafka>;
let relay: OutboxRelay;
let collector: Awaited<ReturnType<typeof collect>>;

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  transport = testKafka();
  await transport.ensureTopics(testTopics());
  relay = new OutboxRelay({
    knex: api.knex,
    transport,
    logger: pino({ level: 'silent' }),
    listenUrl: api.databaseUrl,
    pollIntervalMs: 5_000,
  });
  await relay.start();
  collector = await collect(transport, [TOPICS.taskEvents.name]);
}, 60_000);

afterAll(async () => {
  await collector.stop();
  await relay.stop();
  await transport.close();
  await api.close();
});

const taskOf = (event: Event) => (event.payload as { task: TaskSnapshot }).task;

/**
 * The user's events in the order Kafka delivered them. Delivery is at least once (another test
 * file's relay may publish a batch twice), so a repeated event id counts once, at its first place.
 */
const eventsOf = (
  userId: string,
): { event: Event; key: string | null; headers: Record<string, string> }[] => {
  const seen = new Set<string>();
  // The topic is shared with other spec files, some of which publish messages that are not
  // events on purpose; an event of ours that failed to parse would be missing from the count.
  const parsed = (value: string | null) => {
    try {
      return parseEvent(value);
    } catch {
      return undefined;
    }
  };
  return collector.messages
    .map((message) => ({
      event: parsed(message.value),
      key: message.key,
      headers: message.headers,
    }))
    .filter((item): item is typeof item & { event: Event } => item.event?.userId === userId)
    .filter(({ event }) => !seen.has(event.id) && seen.add(event.id));
};

it('publishes one valid event per mutation, keyed by task id, in order per task', async () => {
  const user = await api.user();
  const tagId = (
    await user.gql(
      `mutation { createTag(input: { name: "t", color: "#000000" }) { ... on CreateTagSuccess { tag { id } } } }`,
    )
  ).data!.createTag.tag.id;
  const categoryId = (
    await user.gql(
      `mutation { createCategory(input: { name: "c", color: "#000000" }) { ... on CreateCategorySuccess { category { id } } } }`,
    )
  ).data!.createCategory.category.id;
  const task = await createTask(user, {
    title: 'Evented',
    dueAt: '2030-01-01T10:00:00Z',
    categoryId,
  });
  const other = await createTask(user, { title: 'Second' });
  const id = task.id;
  const run = (query: string, variables: Record<string, unknown>) => user.gql(query, variables);
  await run(
    `mutation($id: ID!) { updateTask(id: $id, input: { title: "Renamed" }) { __typename } }`,
    { id },
  );
  await run(`mutation($id: ID!, $t: ID!) { addTagToTask(taskId: $id, tagId: $t) { __typename } }`, {
    id,
    t: tagId,
  });
  await run(
    `mutation($id: ID!, $t: ID!) { removeTagFromTask(taskId: $id, tagId: $t) { __typename } }`,
    { id, t: tagId },
  );
  await run(
    `mutation($id: ID!) { setReminder(taskId: $id, remindBeforeMinutes: 5) { __typename } }`,
    { id },
  );
  await run(`mutation($id: ID!) { clearReminder(taskId: $id) { __typename } }`, { id });
  await run(`mutation($id: ID!) { completeTask(id: $id) { __typename } }`, { id });
  await run(`mutation($id: ID!) { completeTask(id: $id) { __typename } }`, { id });
  await run(`mutation($id: ID!) { reopenTask(id: $id) { __typename } }`, { id });
  await run(`mutation($c: ID!) { deleteCategory(id: $c) { __typename } }`, { c: categoryId });
  await run(
    `mutation($id: ID!) { updateTask(id: $id, input: { title: "Renamed" }) { __typename } }`,
    { id },
  );
  await run(`mutation($id: ID!) { deleteTask(id: $id) { __typename } }`, { id });

  await eventually(
    () => eventsOf(user.userId).some(({ event }) => event.type === 'task.deleted'),
    'task.deleted',
  );
  const events = eventsOf(user.userId);
  const ofTask = events.filter(({ event }) => event.taskId === id);
  expect(
    ofTask.map(({ event }) =>
      event.type === 'task.updated' ? `updated:${event.payload.changed.join(',')}` : event.type,
    ),
  ).toEqual([
    'task.created',
    'updated:title',
    'updated:tagIds',
    'updated:tagIds',
    'updated:remindBeforeMinutes,remindAt',
    'updated:remindBeforeMinutes,remindAt',
    'task.completed',
    'task.reopened',
    'updated:categoryId',
    'task.deleted',
  ]);
  // Each carries its number in the user's sequence, the one the outbox row got: 1, 2, 3, ...
  const numbered = await api
    .knex('outbox')
    .where({ user_id: user.userId })
    .select<{ event_id: string; user_seq: number }[]>('event_id', 'user_seq');
  const seqOf = new Map(numbered.map((row) => [row.event_id, String(row.user_seq)]));
  expect([...seqOf.values()].map(Number).sort((a, b) => a - b)).toEqual(
    events.map((_, i) => i + 1),
  );
  for (const { event, key, headers } of events) {
    expect(key).toBe(event.taskId);
    expect(headers).toEqual({
      'event-id': event.id,
      'event-type': event.type,
      'user-seq': seqOf.get(event.id),
    });
    expect(event.schemaVersion).toBe(1);
  }
  const versions = ofTask.map(({ event }) => taskOf(event).version);
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  expect(new Set(versions).size).toBe(versions.length - 1); // the deleted snapshot repeats the last version
  expect(taskOf(ofTask[0]!.event)).toMatchObject({
    title: 'Evented',
    categoryId,
    dueAt: '2030-01-01T10:00:00.000Z',
  });
  expect(
    events.filter(({ event }) => event.taskId === other.id).map(({ event }) => event.type),
  ).toEqual(['task.created']);
}, 60_000);

it('writes no event for a refused or rolled-back change', async () => {
  const user = await api.user();
  const missing = '00000000-0000-4000-8000-000000000009';
  await user.gql(
    `mutation($t: [ID!]) { createTask(input: { title: "x", tagIds: $t }) { __typename } }`,
    { t: [missing] },
  );
  await user.gql(`mutation { createTask(input: { title: "" }) { __typename } }`);
  await user.gql(`mutation($id: ID!) { completeTask(id: $id) { __typename } }`, { id: missing });
  expect(await api.knex('outbox').where({ user_id: user.userId })).toEqual([]);
});
