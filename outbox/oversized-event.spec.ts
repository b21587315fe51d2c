import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { metrics } from '../lib/metrics.ts';
import type { Event } from '../model/events/contracts.ts';
import { newEvent } from '../model/events/new-event.ts';
import { TOPICS } from '../model/events/topics.ts';
import { useTestApi } from '../test/api.ts';
import { sampleSnapshot } from '../test/events.ts';
import { collect, eventually, testKafka, testTopics } from '../test/kafka.ts';
import { appendToOutbox } from './append.ts';
import { OutboxRelay } from './relay.ts';
import { unsentRows } from './unsent.ts';

const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });
/** Over Kafka's default `max.message.bytes` (1 MB) once serialized. */
const HUGE_DESCRIPTION = 'x'.repeat(1_500_000);

let transport: ReturnType<typeof testKafka>;
let collector: Awaited<ReturnType<typeof collect>>;
let relay: OutboxRelay | undefined;

beforeAll(async () => {
  transport = testKafka();
  await transport.ensureTopics(testTopics());
  collector = await collect(transport, [TOPICS.taskEvents.name, TOPICS.deadLetter.name]);
}, 60_000);

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

afterAll(async () => {
  await collector.stop();
  await transport.close();
});

/** A task.updated event of `userId` about `taskId`, with a description of `description`. */
const updated = (userId: string, taskId: string, description: string | null = null) =>
  newEvent('task.updated', userId, taskId, {
    task: sampleSnapshot({ id: taskId, description }),
    changed: ['description'],
  });

/** Appends each event in a commit of its own, so their outbox ids follow the array. */
async function append(events: Event[]): Promise<void> {
  for (const event of events) await api.knex.transaction((trx) => appendToOutbox(trx, [event]));
}

/** The ids of events delivered on `topic`, in delivery order, first copies only. */
const delivered = (topic: string, ids: Set<string>) => [
  ...new Set(
    collector.messages
      .filter((m) => m.topic === topic && ids.has(m.headers['event-id'] ?? ''))
      .map((m) => m.headers['event-id']!),
  ),
];

const refusedCount = async (reason: string) =>
  (await metrics.outboxEventsRefused.get()).values.find((v) => v.labels.reason === reason)?.value ??
  0;

it('dead-letters an event over the request bound and carries on with the events after it, in order', async () => {
  const user = await api.user();
  const taskId = randomUUID();
  const before = [updated(user.userId, taskId, 'one'), updated(user.userId, taskId, 'two')];
  const huge = updated(user.userId, taskId, HUGE_DESCRIPTION);
  const after = [updated(user.userId, taskId, 'three'), updated(user.userId, taskId, 'four')];
  await append([...before, huge, ...after]);
  const counted = await refusedCount('MESSAGE_TOO_LARGE');

  relay = new OutboxRelay({ knex: api.knex, transport, logger, pollIntervalMs: 100 });
  await relay.start();
  const ordinary = new Set([...before, ...after].map((event) => event.id));
  await eventually(
    () => delivered(TOPICS.taskEvents.name, ordinary).length === 4,
    'the four ordinary events',
  );
  expect(delivered(TOPICS.taskEvents.name, ordinary)).toEqual([...ordinary]);

  await eventually(
    () => delivered(TOPICS.deadLetter.name, new Set([huge.id])).length === 1,
    'the dead letter of the large event',
  );
  const letter = collector.messages.find((m) => m.headers['event-id'] === huge.id)!;
  expect(letter.topic).toBe(TOPICS.deadLetter.name);
  expect(letter.key).toBe(taskId);
  expect(letter.headers).toMatchObject({
    'event-type': 'task.updated',
    'source-topic': 'task-events',
  });
  expect(letter.headers.reason).toMatch(/^MESSAGE_TOO_LARGE: \d+ bytes, over the relay's bound/);
  expect(letter.value!.length).toBeLessThan(2_000);
  const body = JSON.parse(letter.value!);
  expect(body).toMatchObject({
    eventId: huge.id,
    type: 'task.updated',
    userId: user.userId,
    taskId,
    topic: 'task-events',
    reason: letter.headers.reason,
  });
  expect(body.bytes).toBeGreaterThan(1_500_000);
  expect(delivered(TOPICS.taskEvents.name, new Set([huge.id]))).toEqual([]);

  // The relay marks the row failed after the dead letter is acknowledged, not before.
  const markedFailed = async () =>
    (await api.knex('outbox').where({ event_id: huge.id }).first()).failed_at !== null;
  await eventually(markedFailed, 'the outbox row of the large event marked failed');
  const row = await api.knex('outbox').where({ event_id: huge.id }).first();
  expect(await unsentRows(api.knex).where({ event_id: huge.id })).toEqual([]);
  expect(row.failed_at).not.toBeNull();
  expect(row.failure_reason).toBe(letter.headers.reason);
  expect(await refusedCount('MESSAGE_TOO_LARGE')).toBe(counted + 1);

  // The relay is still running: a later event moves on its own.
  const later = updated(user.userId, taskId, 'five');
  await append([later]);
  await eventually(
    () => delivered(TOPICS.taskEvents.name, new Set([later.id])).length === 1,
    'an event written after the refusal',
  );
}, 60_000);

it('isolates an event the broker refuses within a request and keeps publishing afterwards', async () => {
  const user = await api.user();
  const tasks = Array.from({ length: 6 }, () => randomUUID());
  const before = tasks.map((taskId) => updated(user.userId, taskId, 'before'));
  const huge = updated(user.userId, tasks[0]!, HUGE_DESCRIPTION);
  const after = tasks.map((taskId) => updated(user.userId, taskId, 'after'));
  await append([...before, huge, ...after]);

  // A bound above the broker's limit lets the large event reach the broker, which refuses it.
  relay = new OutboxRelay({ knex: api.knex, transport, logger, maxRequestBytes: 4 * 1024 * 1024 });
  expect(await relay.relayBatch()).toBe(13);
  const ordinary = [...before, ...after].map((event) => event.id);
  await eventually(
    () => delivered(TOPICS.taskEvents.name, new Set(ordinary)).length === 12,
    'the twelve ordinary events',
  );
  for (const [i] of tasks.entries()) {
    const ofTask = new Set([before[i]!.id, after[i]!.id]);
    expect(delivered(TOPICS.taskEvents.name, ofTask)).toEqual([...ofTask]);
  }
  await eventually(
    () => delivered(TOPICS.deadLetter.name, new Set([huge.id])).length === 1,
    'the dead letter of the refused event',
  );
  const letter = collector.messages.find((m) => m.headers['event-id'] === huge.id)!;
  expect(letter.headers.reason).toMatch(/^MESSAGE_TOO_LARGE: .*max message size/);

  // The producer that saw the refusal was replaced: the same partitions take new events.
  const later = tasks.map((taskId) => updated(user.userId, taskId, 'later'));
  await append(later);
  expect(await relay.relayBatch()).toBe(6);
  await eventually(
    () => delivered(TOPICS.taskEvents.name, new Set(later.map((event) => event.id))).length === 6,
    'the events after the refusal',
  );
  expect(await unsentRows(api.knex)).toEqual([]);
}, 60_000);
