import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { requireTestEnv } from '../test/env.ts';
import { eventually } from '../test/kafka.ts';
import { transportContract } from '../test/transport-contract.ts';
import { createTransport } from './create-transport.ts';
import { KafkaTransport } from './kafka-transport.ts';
import { namespacedTransport } from './namespaced-transport.ts';
import type { Consumer, EventTransport, IncomingMessage } from './transport.ts';

jest.setTimeout(60_000);

const brokers = () => requireTestEnv('KAFKA_BROKERS').split(',');
const kafka = () =>
  new KafkaTransport(
    { brokers: brokers(), clientId: 'namespaced', ssl: false, sasl: undefined },
    pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );

transportContract('kafka under a namespace', async () =>
  namespacedTransport(kafka(), `contract-${randomUUID().slice(0, 8)}`),
);

describe('two deployments on one broker, each under its own namespace', () => {
  const run = randomUUID().slice(0, 8);
  const [staging, production] = [`staging-${run}`, `production-${run}`];
  const topic = { name: 'task-events', partitions: 2, retentionMs: 3_600_000 };
  const transports: EventTransport[] = [];
  const consumers: Consumer[] = [];
  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await Promise.all(transports.map((transport) => transport.close()));
  });

  /** A deployment's transport, as its roles make it, and what its `notification-service` group receives. */
  async function deployment(namespace: string) {
    const transport = createTransport(
      { brokers: brokers(), clientId: namespace, ssl: false, sasl: undefined, namespace },
      pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    );
    transports.push(transport);
    await transport.ensureTopics([topic]);
    const received: IncomingMessage[] = [];
    const lagTopics = new Set<string>();
    consumers.push(
      await transport.consume({
        groupId: 'notification-service',
        topics: ['task-events'],
        fromBeginning: true,
        handleBatch: async (batch) => void received.push(...batch),
        onLag: (name) => void lagTopics.add(name),
      }),
    );
    return { transport, received, lagTopics };
  }

  it('keeps their events, topics and groups apart, and gives each the plain names', async () => {
    const a = await deployment(staging);
    const b = await deployment(production);
    await a.transport.publish([{ topic: 'task-events', key: 'k', value: 'from staging' }]);
    await b.transport.publish([{ topic: 'task-events', key: 'k', value: 'from production' }]);

    await eventually(() => a.received.length > 0 && b.received.length > 0, 'both deliveries');
    // Time for a stray delivery across namespaces to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(a.received.map((message) => [message.topic, message.value])).toEqual([
      ['task-events', 'from staging'],
    ]);
    expect(b.received.map((message) => [message.topic, message.value])).toEqual([
      ['task-events', 'from production'],
    ]);
    expect([...a.lagTopics]).toEqual(['task-events']);

    const admin = new Kafka({ brokers: brokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      expect(topics).toEqual(
        expect.arrayContaining([`${staging}.task-events`, `${production}.task-events`]),
      );
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
      expect(groups).toEqual(
        expect.arrayContaining([
          `${staging}.notification-service`,
          `${production}.notification-service`,
        ]),
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a namespace Kafka could not carry in a topic name', () => {
    for (const bad of ['', 'two words', 'a/b', 'x'.repeat(101)]) {
      expect(() => namespacedTransport(kafka(), bad)).toThrow(/Kafka namespace/);
    }
  });
});
