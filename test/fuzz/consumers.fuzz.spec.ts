/**
 * Fuzzes the consumers (recurrence and notification) on every topic they read: random bytes,
 * text that is not JSON, JSON that is not an envelope, unknown event types, wrongly typed and
 * huge fields, tombstones, and events the contract accepts but that make no sense, each followed
 * by a good message.
 *
 * Properties: each bad message reaches task-dead-letter with a reason naming the problem; the good
 * message after it is processed (in processed_events, and for recurrence the next instance of the
 * completed recurring task exists); the consumer never stops (a last good message is processed).
 *
 * Each topic a consumer reads is stood in for by a fresh one-partition topic (as the runtime's
 * own poison-message spec does), so old messages on the reused broker do not interfere and "the
 * message after" is well defined.
 *
 * Smoke size in npm test (fixed seed). Reproduce or go long:
 *   FUZZ_SEED=123 FUZZ_RUNS=300 npm run test:jest -- test/fuzz/consumers.fuzz
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { TOPICS } from '../../model/events/topics.ts';
import { newEvent } from '../../model/events/new-event.ts';
import type { Consumer } from '../../messaging/transport.ts';
import { runConsumer, type ConsumerSpec } from '../../consumers/runtime/run-consumer.ts';
import { recurrenceConsumer } from '../../consumers/recurrence/index.ts';
import { notificationConsumer } from '../../consumers/notification/index.ts';
import { completeTask, inHours, mutate, useTestApi, type TestUser } from '../api.ts';
import { requireTestEnv } from '../env.ts';
import { sampleSnapshot } from '../events.ts';
import { collect, eventually, testKafka, testTopics } from '../kafka.ts';
import { badMessage, oddButValid, type BadMessage } from './consumer-messages.ts';
import { fuzzRuns, fuzzSeed, isLongRun, Random } from './mcp-random.ts';

const SEED = fuzzSeed(1129);
const ROUNDS = fuzzRuns(12);
const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let transport: ReturnType<typeof testKafka>;
let deadLetters: Awaited<ReturnType<typeof collect>>;
let raw: ReturnType<Kafka['producer']>;
let user: TestUser;

beforeAll(async () => {
  transport = testKafka();
  await transport.ensureTopics(testTopics());
  deadLetters = await collect(transport, [TOPICS.deadLetter.name]);
  raw = new Kafka({
    brokers: requireTestEnv('KAFKA_BROKERS').split(','),
    clientId: 'consumer-fuzz',
    logLevel: logLevel.NOTHING,
  }).producer();
  await raw.connect();
  user = await api.user('fuzz');
}, 60_000);
afterAll(async () => {
  await raw?.disconnect();
  await deadLetters?.stop();
  await transport?.close();
});

/** A good message of a consumer's: the event, and a check that its effect is visible. */
interface Good {
  event: Record<string, any>;
  applied: () => Promise<boolean>;
}

interface Subject {
  name: string;
  spec: ConsumerSpec;
  /** A new good message (for recurrence: the completion of a new recurring task). */
  good(rnd: Random, group: string): Promise<Good>;
}

const processed = async (group: string, id: string) =>
  (await api.knex('processed_events').where({ consumer_group: group, event_id: id })).length === 1;

const wakes: Date[] = [];
const SUBJECTS: Subject[] = [
  {
    name: 'recurrence',
    spec: recurrenceConsumer,
    async good(rnd, group) {
      const input = {
        title: `fuzz ${rnd.int(0, 1e9)}`,
        dueAt: inHours(rnd.int(1, 1000)),
        recurrenceRule: rnd.pick(['FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=MONTHLY;BYMONTHDAY=28']),
      };
      const created = await mutate(user, 'createTask', { input });
      if (created.__typename !== 'CreateTaskSuccess')
        throw new Error(`could not create ${JSON.stringify(input)}: ${JSON.stringify(created)}`);
      const task = created.task;
      await completeTask(user, task.id);
      const rows = await api
        .knex('outbox')
        .where({ user_id: user.userId, event_type: 'task.completed' });
      const row = rows.find((r) => r.payload.taskId === task.id);
      const event = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      return {
        event,
        applied: async () =>
          (await processed(group, event.id)) &&
          (await api.knex('tasks').where({ series_id: task.id, series_index: 2 })).length === 1,
      };
    },
  },
  {
    name: 'notification',
    spec: notificationConsumer({ wake: (at: Date) => void wakes.push(at) }),
    async good(rnd, group) {
      const remindAt = new Date(Date.now() + rnd.int(1, 1000) * 60_000).toISOString();
      const task = sampleSnapshot({ remindAt, remindBeforeMinutes: 10 });
      const event = newEvent('task.created', user.userId, task.id, { task });
      return { event, applied: () => processed(group, event.id) };
    },
  },
];

interface Failure {
  seed: number;
  consumer: string;
  key: string;
  kind: string;
  problem: string;
}

describe.each(SUBJECTS)('the $name consumer', (subject) => {
  let consumer: Consumer | undefined;
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  it.each(subject.spec.topics)(
    `dead-letters bad messages on %s and goes on with the next good one (seed ${SEED}, ${ROUNDS} rounds)`,
    async (realTopic) => {
      const started = Date.now();
      const rnd = new Random(SEED);
      const topic = `${realTopic}-fuzz-${randomUUID()}`;
      const group = `fuzz-${subject.name}-${randomUUID()}`;
      await transport.ensureTopics([{ name: topic, partitions: 1, retentionMs: 3_600_000 }]);
      const failures: Failure[] = [];
      const bads: BadMessage[] = [];
      const goods: Good[] = [];
      const wakesBefore = wakes.length;

      consumer = await runConsumer({
        transport,
        knex: api.knex,
        logger,
        spec: { ...subject.spec, group, topics: [topic] },
      });

      const CHUNK = 25;
      for (let from = 0; from < ROUNDS; from += CHUNK) {
        const messages: { key: string; value: Buffer | string | null }[] = [];
        for (let round = from; round < Math.min(ROUNDS, from + CHUNK); round++) {
          const good = await subject.good(rnd, group);
          const count = rnd.int(1, 4);
          for (let i = 0; i < count; i++) {
            const key = `bad-${round}-${i}-${group}`;
            const bad = rnd.bool(0.15)
              ? oddButValid(rnd, good.event, key)
              : badMessage(rnd, good.event, key);
            bads.push(bad);
            messages.push({ key, value: bad.value });
          }
          goods.push(good);
          messages.push({ key: good.event.taskId, value: JSON.stringify(good.event) });
        }
        // One message per send: a batch of several huge ones could exceed the broker's limit,
        // which is the producer's problem, not the consumer's.
        for (const message of messages) await raw.send({ topic, messages: [message] });
      }

      // The last good message shows the consumer is still going.
      const last = await subject.good(rnd, group);
      goods.push(last);
      await raw.send({
        topic,
        messages: [{ key: last.event.taskId, value: JSON.stringify(last.event) }],
      });

      const limit = isLongRun() ? 600_000 : 40_000;
      const pending = async () => {
        const results = await Promise.all(goods.map((good) => good.applied()));
        return results.filter((ok) => !ok).length;
      };
      await eventually(
        async () => (await pending()) === 0,
        'every good message to be processed',
        limit,
      ).catch(async (error: Error) => {
        failures.push({
          seed: SEED,
          consumer: subject.name,
          key: '-',
          kind: 'good',
          problem: `${await pending()} of ${goods.length} good messages not processed: ${error.message}`,
        });
      });

      const ours = () => deadLetters.messages.filter((m) => m.headers['consumer-group'] === group);
      const expected = bads.filter((bad) => bad.reason);
      await eventually(() => ours().length >= expected.length, 'the dead letters', 15_000).catch(
        () => undefined,
      );
      const letters = new Map(ours().map((m) => [m.key, m]));
      for (const bad of bads) {
        const letter = letters.get(bad.key);
        if (!bad.reason) continue;
        if (!letter) {
          failures.push({
            seed: SEED,
            consumer: subject.name,
            key: bad.key,
            kind: bad.kind,
            problem: `not dead-lettered: ${describeValue(bad.value)}`,
          });
          continue;
        }
        const reason = String(letter.headers.reason);
        if (!bad.reason.test(reason) || letter.headers['source-topic'] !== topic)
          failures.push({
            seed: SEED,
            consumer: subject.name,
            key: bad.key,
            kind: bad.kind,
            problem: `reason ${JSON.stringify(reason.slice(0, 200))} does not match ${bad.reason}; value ${describeValue(bad.value)}`,
          });
      }
      const odd = bads.filter((bad) => !bad.reason);
      const oddLettered = odd
        .filter((bad) => letters.has(bad.key))
        .map((bad) => {
          const reason = String(letters.get(bad.key)!.headers.reason);
          return `${bad.kind} ${describeValue(bad.value).slice(0, 0)}-> ${reason.length > 160 ? `${reason.slice(0, 60)} … ${reason.slice(-100)}` : reason}`;
        });
      if (subject.name === 'notification') expect(wakes.length).toBeGreaterThan(wakesBefore);

      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `consumer fuzz ${subject.name} on ${realTopic}: seed ${SEED}, ${ROUNDS} rounds, ` +
          `${bads.length + goods.length} messages (${expected.length} bad, ${odd.length} odd-but-valid ` +
          `of which ${oddLettered.length} dead-lettered, ${goods.length} good), ${failures.length} failures, ${seconds} s` +
          (oddLettered.length
            ? `\n  odd-but-valid dead-letter reasons: ${[...new Set(oddLettered)].join(' | ')}`
            : ''),
      );
      expect(failures).toEqual([]);
    },
    isLongRun() ? 3_600_000 : 60_000,
  );
});

function describeValue(value: Buffer | string | null): string {
  if (value === null) return 'null';
  const text = Buffer.isBuffer(value)
    ? `bytes ${value.toString('hex').slice(0, 40)} (${value.length})`
    : value;
  return text.length > 120 ? `${text.slice(0, 120)}…(${text.length})` : text;
}
