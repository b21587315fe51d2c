import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import type { Event } from '../../model/events/contracts.ts';
import { TOPICS } from '../../model/events/topics.ts';
import type { Consumer, OutgoingMessage } from '../../messaging/transport.ts';
import { testKnex } from '../../test/env.ts';
import { createdEvents } from '../../test/events.ts';
import { collect, eventually, testKafka, testTopics } from '../../test/kafka.ts';
import { runConsumer, type ConsumerSpec } from './run-consumer.ts';

let knex: Knex;
let transport: ReturnType<typeof testKafka>;
let consumer: Consumer | undefined;
let deadLetters: Awaited<ReturnType<typeof collect>>;
/** The statements that record event ids in the inbox, in every test so far. */
const inboxInserts: string[] = [];

beforeAll(async () => {
  knex = testKnex();
  knex.on('query', ({ sql }: { sql: string }) => {
    if (/insert into "?processed_events"?/i.test(sql)) inboxInserts.push(sql);
  });
  await knex.raw(
    'CREATE TABLE IF NOT EXISTS consumer_test_applied (event_id uuid NOT NULL, consumer_group text NOT NULL)',
  );
  transport = testKafka();
  await transport.ensureTopics(testTopics());
  deadLetters = await collect(transport, [TOPICS.deadLetter.name]);
}, 60_000);
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
});
afterAll(async () => {
  await deadLetters.stop();
  await transport.close();
  await knex.destroy();
});

/** A new topic with `partitions` partitions holding `messages`, and a group of its own. */
async function backlog(partitions: number, count: number) {
  const topic = `batches-${randomUUID()}`;
  await transport.ensureTopics([{ name: topic, partitions, retentionMs: 3_600_000 }]);
  const messages = createdEvents(topic, 'batches-user', count);
  await transport.publish(messages);
  return { topic, group: `batches-${randomUUID()}`, messages };
}

const idOf = (message: OutgoingMessage) => (JSON.parse(message.value) as Event).id;

const appliedRows = (group: string) =>
  knex('consumer_test_applied').where({ consumer_group: group }).pluck('event_id');

const start = (spec: ConsumerSpec) =>
  runConsumer({ transport, knex, logger: pino({ level: 'silent' }), spec });

it('records a batch in the inbox with one statement and applies each event once, also when delivered again', async () => {
  const { topic, group, messages } = await backlog(1, 500);
  const ids = messages.map(idOf);
  const batches: string[][] = [];
  const inserts = () => inboxInserts.length;
  const before = inserts();
  consumer = await start({
    group,
    topics: [topic],
    types: ['task.created'],
    handle: () => Promise.reject(new Error('the batch handler applies these')),
    async handleBatch(events, { trx, afterCommit }) {
      await trx('consumer_test_applied').insert(
        events.map((event) => ({ event_id: event.id, consumer_group: group })),
      );
      afterCommit(() => batches.push(events.map((event) => event.id)));
    },
  });
  await eventually(() => batches.length === 1, 'the batch');
  expect(batches[0]).toEqual(ids);
  expect(inserts() - before).toBe(1);

  // The same 500 events again, as after a publisher that crashed before marking them sent.
  await transport.publish(messages);
  await eventually(() => inserts() - before === 2, 'the second delivery in the inbox');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(batches).toHaveLength(1);
  expect((await appliedRows(group)).sort()).toEqual([...ids].sort());
}, 60_000);

it('dead-letters only the event that fails for good in the middle of a batch; the others commit', async () => {
  const { topic, group, messages } = await backlog(1, 20);
  const ids = messages.map(idOf);
  const failing = ids[10];
  const attempts = new Map<string, number>();
  const committed: string[] = [];
  consumer = await start({
    group,
    topics: [topic],
    types: ['task.created'],
    async handle(event, { trx, afterCommit }) {
      attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
      await trx('consumer_test_applied').insert({ event_id: event.id, consumer_group: group });
      if (event.id === failing) throw new TypeError('a bug in the handler');
      afterCommit(() => committed.push(event.id));
    },
  });
  const ours = () => deadLetters.messages.filter((m) => m.headers['consumer-group'] === group);
  await eventually(() => committed.length === 19 && ours().length === 1, 'the batch');

  const others = ids.filter((id) => id !== failing);
  expect(committed).toEqual(others);
  expect((await appliedRows(group)).sort()).toEqual([...others].sort());
  const processed = await knex('processed_events')
    .where({ consumer_group: group })
    .pluck('event_id');
  expect(processed.sort()).toEqual([...others].sort());
  expect(ours()[0]).toMatchObject({
    value: messages[10]!.value,
    headers: { reason: 'handler failed: a bug in the handler', 'source-offset': '10' },
  });
  // The batch ran up to the failing event, was rolled back and ran again event by event: the
  // events before it and the failing one ran twice, those after it once.
  expect(ids.map((id) => attempts.get(id))).toEqual(ids.map((_, i) => (i <= 10 ? 2 : 1)));
}, 60_000);

it('handles two partitions side by side, each in order', async () => {
  const { topic, group, messages } = await backlog(2, 40);
  const started = new Set<number>();
  let waitedInVain = false;
  const committed: { partition: number; offset: number }[] = [];
  consumer = await start({
    group,
    topics: [topic],
    types: ['task.created'],
    async handle(_event, { message: delivered, afterCommit }) {
      const message = delivered!;
      const other = 1 - message.partition;
      started.add(message.partition);
      // Each partition's first event waits, inside its transaction, for the other partition's
      // handler to start: one partition after the other never gets there. At most 10 s, after
      // which the assertion below fails rather than the test hanging.
      if (!started.has(other)) {
        await eventually(() => started.has(other), `partition ${other}'s handler`, 10_000).catch(
          () => void (waitedInVain = true),
        );
      }
      afterCommit(() =>
        committed.push({ partition: message.partition, offset: Number(message.offset) }),
      );
    },
  });
  await eventually(() => committed.length === messages.length, 'every event', 40_000);

  expect(waitedInVain).toBe(false);
  for (const partition of [0, 1]) {
    const offsets = committed.filter((c) => c.partition === partition).map((c) => c.offset);
    expect(offsets.length).toBeGreaterThan(0);
    expect(offsets).toEqual(offsets.map((_, i) => i));
  }
}, 60_000);
