import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { TOPICS } from '../../model/events/topics.ts';
import type { Consumer } from '../../messaging/transport.ts';
import { testKnex } from '../../test/env.ts';
import { createdEvents } from '../../test/events.ts';
import { collect, eventually, testKafka, testTopics } from '../../test/kafka.ts';
import { RetriableError } from '../../messaging/errors.ts';
import { runConsumer } from './run-consumer.ts';

let knex: Knex;
let transport: ReturnType<typeof testKafka>;
let consumer: Consumer | undefined;
let deadLetters: Awaited<ReturnType<typeof collect>>;

beforeAll(async () => {
  knex = testKnex();
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

it('dead-letters bad JSON, unknown types and bad payloads with the reason, and carries on', async () => {
  const topic = `poison-${randomUUID()}`;
  const group = `poison-${randomUUID()}`;
  await transport.ensureTopics([{ name: topic, partitions: 1, retentionMs: 3_600_000 }]);
  const [good] = createdEvents(topic, 'poison-user', 1);
  const goodEvent = JSON.parse(good!.value);
  await transport.publish([
    { topic, key: 'bad-json', value: '{"id": ' },
    { topic, key: 'unknown-type', value: JSON.stringify({ ...goodEvent, type: 'task.exploded' }) },
    {
      topic,
      key: 'bad-payload',
      value: JSON.stringify({ ...goodEvent, payload: { task: { id: 42 } } }),
    },
    good!,
  ]);

  const handled: string[] = [];
  consumer = await runConsumer({
    transport,
    knex,
    logger: pino({ level: 'silent' }),
    spec: {
      group,
      topics: [topic],
      types: ['task.created'],
      handle: async (event) => void handled.push(event.id),
    },
  });

  await eventually(() => handled.length === 1, 'the good message after the poison ones');
  expect(handled).toEqual([goodEvent.id]);
  const ours = () => deadLetters.messages.filter((m) => m.headers['consumer-group'] === group);
  await eventually(() => ours().length === 3, 'three dead letters');
  expect(ours().map((m) => [m.key, m.headers['source-topic'], m.headers.reason])).toEqual([
    ['bad-json', topic, expect.stringMatching(/^not JSON/)],
    ['unknown-type', topic, expect.stringMatching(/^not a valid event: type/)],
    ['bad-payload', topic, expect.stringMatching(/^not a valid event: payload\.task/)],
  ]);
  expect(ours()[0]!.value).toBe('{"id": ');
}, 60_000);

it('retries a transient failure with backoff, and dead-letters a permanent one', async () => {
  const topic = `retry-${randomUUID()}`;
  const group = `retry-${randomUUID()}`;
  await transport.ensureTopics([{ name: topic, partitions: 1, retentionMs: 3_600_000 }]);
  const messages = createdEvents(topic, 'retry-user', 3);
  const ids = messages.map((m) => JSON.parse(m.value).id as string);
  await transport.publish(messages);

  const attempts = new Map<string, number>();
  const applied: string[] = [];
  consumer = await runConsumer({
    transport,
    knex,
    logger: pino({ level: 'silent' }),
    spec: {
      group,
      topics: [topic],
      types: ['task.created'],
      async handle(event, { afterCommit }) {
        const attempt = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, attempt);
        if (event.id === ids[0] && attempt < 3) throw new RetriableError('database briefly away');
        if (event.id === ids[1]) throw new TypeError('a bug in the handler');
        afterCommit(() => applied.push(event.id));
      },
    },
  });

  await eventually(() => applied.length === 2, 'the first and third events');
  expect(applied).toEqual([ids[0], ids[2]]);
  // The three events arrive as one batch. Attempts 1 and 2 of the batch stop at the transient
  // failure of the first event; attempt 3 passes it and stops at the second event's bug, which
  // rolls the batch back and applies it again event by event: the first event runs a fourth
  // time, the second a second time (dead-lettered), the third once.
  expect(Object.fromEntries(attempts)).toEqual({ [ids[0]!]: 4, [ids[1]!]: 2, [ids[2]!]: 1 });
  const ours = () => deadLetters.messages.filter((m) => m.headers['consumer-group'] === group);
  await eventually(() => ours().length === 1, 'the permanent failure in the dead-letter topic');
  expect(ours()[0]!.headers.reason).toBe('handler failed: a bug in the handler');
  const processed = await knex('processed_events')
    .where({ consumer_group: group })
    .pluck('event_id');
  expect(processed.sort()).toEqual([ids[0], ids[2]].sort());
}, 60_000);
