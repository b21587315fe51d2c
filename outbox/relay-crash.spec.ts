import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { runConsumer } from '../consumers/runtime/run-consumer.ts';
import { TOPICS } from '../model/events/topics.ts';
import type { EventTransport } from '../messaging/transport.ts';
import { createTask, useTestApi } from '../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../test/kafka.ts';
import { OutboxRelay } from './relay.ts';
import { unsentRows } from './unsent.ts';

const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });

it('re-sends a batch whose relay died between the broker ack and the mark, and consumers apply it once', async () => {
  const knex: Knex = api.knex;
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const raw = await collect(transport, [TOPICS.taskEvents.name]);
  const user = await api.user();
  const tasks = await Promise.all(
    Array.from({ length: 20 }, (_, i) => createTask(user, { title: `t${i}` })),
  );
  const ids = new Set(tasks.map((task) => task.id));

  // The first relay publishes for real, then dies before it can mark the rows sent.
  const dying: EventTransport = Object.create(transport, {
    publish: {
      value: async (...args: Parameters<EventTransport['publish']>) => {
        await transport.publish(...args);
        throw new Error('relay process killed after the broker acknowledged');
      },
    },
  });
  const crashed = new OutboxRelay({ knex, transport: dying, logger, batchSize: 10_000 });
  await expect(crashed.relayBatch()).rejects.toThrow('relay process killed');
  const unsent = () => unsentRows(knex).where({ user_id: user.userId });
  expect(await unsent()).toHaveLength(20);
  // Its session ends as a killed process's would: the publishing turn is free.
  const relay = new OutboxRelay({ knex, transport, logger, batchSize: 10_000 });
  expect(await relay.relayBatch()).toBe(0);
  await crashed.stop();

  expect(await relay.relayBatch()).toBeGreaterThanOrEqual(20);
  expect(await unsent()).toEqual([]);

  const applied: string[] = [];
  const consumer = await runConsumer({
    transport,
    knex,
    logger,
    spec: {
      group: `relay-crash-${randomUUID()}`,
      topics: [TOPICS.taskEvents.name],
      types: ['task.created'],
      handle: async (event) => void (ids.has(event.taskId) && applied.push(event.taskId)),
    },
  });
  const delivered = () => raw.messages.filter((m) => ids.has(m.key ?? ''));
  await eventually(() => delivered().length === 40, 'both copies of the 20 events on Kafka');
  await eventually(() => applied.length === 20, 'the 20 events applied');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(applied.sort()).toEqual([...ids].sort());
  await consumer.stop();
  await raw.stop();
  await relay.stop();
  await transport.close();
}, 90_000);
