import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { recurrenceConsumer } from '../consumers/recurrence/index.ts';
import { runConsumer } from '../consumers/runtime/run-consumer.ts';
import { KafkaTransport } from '../messaging/kafka-transport.ts';
import { loadConfig } from '../server/config.ts';
import { OutboxRelay } from '../outbox/relay.ts';
import { ensureKafka } from '../test/kafka-broker.ts';
import { startBenchApi } from './http.ts';
import { latencyResults, type BenchResult } from './stats.ts';

const CREATE = `mutation($t: String!) { createTask(input: { title: $t, dueAt: "2031-01-01T09:00:00Z",
  timeZone: "Europe/Berlin", recurrenceRule: "FREQ=WEEKLY;BYDAY=MO,WE,FR" }) { ... on CreateTaskSuccess { task { id } } } }`;
const COMPLETE = `mutation($id: ID!) { completeTask(id: $id) { __typename } }`;
const NEXT = `query($id: ID!) { task(id: $id) { nextInstance { id } } }`;

/**
 * Completion of a recurring task to its next instance visible through the API: completeTask over
 * HTTP, then the relay, Kafka, the recurring task service and the outbox again, polled every
 * 5 ms with `task(id) { nextInstance }`.
 */
export async function benchRecurrence(
  knex: Knex,
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const samples = smoke ? 10 : 200;
  const kafka = await ensureKafka();
  const logger = pino({ level: 'silent' });
  const transport = new KafkaTransport(
    {
      brokers: kafka.brokers.split(','),
      clientId: 'bench-recurrence',
      ssl: false,
      sasl: undefined,
    },
    logger,
  );
  const api = await startBenchApi(knex, `bench-recurrence-${randomUUID().slice(0, 8)}`);
  try {
    await transport.ensureTopics(loadConfig({}).topics);
    const relay = new OutboxRelay({ knex, transport, logger, listenUrl: databaseUrl });
    await relay.start();
    const consumer = await runConsumer({
      transport,
      knex,
      logger,
      fromBeginning: false,
      spec: { ...recurrenceConsumer, group: `bench-recurrence-${randomUUID()}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const latencies: number[] = [];
    for (let i = 0; i < samples + 5; i++) {
      const { data } = await api.request(CREATE, { t: `recurring ${i}` });
      const id = data.createTask.task.id;
      const started = performance.now();
      await api.request(COMPLETE, { id });
      for (;;) {
        const { data: next } = await api.request(NEXT, { id });
        if (next.task.nextInstance) break;
        if (performance.now() - started > 30_000) throw new Error('no next instance within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (i >= 5) latencies.push(performance.now() - started);
    }
    await consumer.stop();
    await relay.stop();
    return latencyResults(
      'recurrence: completion to next instance visible',
      latencies,
      'completeTask over HTTP until task.nextInstance answers; relay, Kafka and the service in one process',
    );
  } finally {
    await api.stop();
    await transport.close();
    await kafka.stop();
  }
}
