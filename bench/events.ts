import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { runConsumer } from '../consumers/runtime/run-consumer.ts';
import { createTask } from '../domain/task-commands.ts';
import { KafkaTransport } from '../messaging/kafka-transport.ts';
import { TOPICS } from '../model/events/topics.ts';
import { loadConfig } from '../server/config.ts';
import { OutboxRelay } from '../outbox/relay.ts';
import { ensureKafka } from '../test/kafka-broker.ts';
import { latencyResults, type BenchResult } from './stats.ts';

const WRITERS = 16;
const PACED_RATE = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The event pipeline through a real Kafka broker, on this machine with PostgreSQL, the broker
 * and the benchmark sharing two cores:
 * - throughput: a backlog of committed task writes drained by the relay into a consumer's
 *   handler (events per second), and the write rate itself;
 * - latency: write to broker acknowledgement at a steady, paced write rate.
 */
export async function benchEvents(
  knex: Knex,
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const backlog = smoke ? 300 : 10_000;
  const pacedSeconds = smoke ? 2 : 15;
  const kafka = await ensureKafka();
  const logger = pino({ level: 'silent' });
  const transport = new KafkaTransport(
    { brokers: kafka.brokers.split(','), clientId: 'bench', ssl: false, sasl: undefined },
    logger,
  );
  const userId = `bench-events-${randomUUID().slice(0, 8)}`;
  const write = (title: string, user = userId) => createTask({ db: knex, userId: user }, { title });
  /** Writes `count` tasks with WRITERS concurrent writers, as `userOf(writer)`; writes/s. */
  const writeRate = async (count: number, userOf: (writer: number) => string) => {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        while (next < count) await write(`backlog ${++next}`, userOf(writer));
      }),
    );
    return count / ((performance.now() - started) / 1000);
  };
  const ackLatencies: number[] = [];
  let measuring = false;
  let handled = 0;
  let lastHandledAt = 0;
  try {
    await transport.ensureTopics(loadConfig({}).topics);
    await knex('outbox').whereNull('sent_at').update({ sent_at: knex.fn.now() });
    const relay = new OutboxRelay({
      knex,
      transport,
      logger,
      listenUrl: databaseUrl,
      onPublished: (writtenAt, ackedAt) => {
        if (measuring)
          for (const at of writtenAt) ackLatencies.push(ackedAt.getTime() - at.getTime());
      },
    });
    const consumer = await runConsumer({
      transport,
      knex,
      logger,
      fromBeginning: false,
      spec: {
        group: `bench-${randomUUID()}`,
        topics: [TOPICS.taskEvents.name],
        types: ['task.created'],
        handle: async (event) => {
          if (!event.userId.startsWith(userId)) return;
          handled += 1;
          lastHandledAt = performance.now();
        },
      },
    });
    await sleep(3_000);

    const oneUserWritesPerSecond = await writeRate(backlog / 2, () => userId);
    const manyUsersWritesPerSecond = await writeRate(
      backlog / 2,
      (writer) => `${userId}-${writer}`,
    );

    const drainStarted = performance.now();
    await relay.start();
    const deadline = Date.now() + 120_000;
    while (handled < backlog && Date.now() < deadline) await sleep(20);
    if (handled < backlog)
      throw new Error(`only ${handled} of ${backlog} events reached the consumer`);
    const eventsPerSecond = backlog / ((lastHandledAt - drainStarted) / 1000);

    measuring = true;
    const pacedStarted = performance.now();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < PACED_RATE * pacedSeconds; i++) {
      const due = pacedStarted + (i * 1000) / PACED_RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      writes.push(write(`paced ${i}`));
    }
    await Promise.all(writes);
    while (handled < backlog + writes.length && Date.now() < deadline + 60_000) await sleep(20);
    await consumer.stop();
    await relay.stop();

    return [
      {
        name: 'events: committed writes to consumer handler',
        value: Math.round(eventsPerSecond),
        unit: 'events/s',
        conditions: `a backlog of ${backlog} task.created events drained by the relay through Kafka into a consumer (exactly-once, batched transactions)`,
      },
      {
        name: 'events: task writes with their outbox event, one user',
        value: Math.round(oneUserWritesPerSecond),
        unit: 'writes/s',
        conditions: `createTask by ${WRITERS} concurrent writers of one user, one transaction and fsync each`,
      },
      {
        name: `events: task writes with their outbox event, ${WRITERS} users`,
        value: Math.round(manyUsersWritesPerSecond),
        unit: 'writes/s',
        conditions: `createTask by ${WRITERS} concurrent writers, one user each, one transaction and fsync each`,
      },
      ...latencyResults(
        'events: write to broker ack',
        ackLatencies,
        `${PACED_RATE} writes/s of one user for ${pacedSeconds} s, relay woken after each commit`,
      ),
    ];
  } finally {
    await transport.close();
    await kafka.stop();
  }
}
