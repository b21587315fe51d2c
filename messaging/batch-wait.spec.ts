import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { requireTestEnv } from '../test/env.ts';
import { eventually } from '../test/kafka.ts';
import { KafkaTransport } from './kafka-transport.ts';
import type { Consumer, ConsumeOptions } from './transport.ts';

const transport = new KafkaTransport(
  {
    brokers: requireTestEnv('KAFKA_BROKERS').split(','),
    clientId: `batch-wait-${randomUUID().slice(0, 8)}`,
    ssl: false,
    sasl: undefined,
  },
  pino({ level: 'silent' }),
);
const members: Consumer[] = [];

afterAll(async () => {
  await Promise.all(members.map((member) => member.stop()));
  await transport.close();
});

/** A member of a group of its own on `topic`; resolves once it joined, with its batches. */
async function member(topic: string, batchWaitMs?: number): Promise<string[][]> {
  const batches: string[][] = [];
  let joined = false;
  const options: ConsumeOptions = {
    groupId: `batch-wait-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    ...(batchWaitMs ? { batchWaitMs } : {}),
    onStatus: (status) => void (joined ||= status.state === 'joined'),
    handleBatch: async (messages) => void batches.push(messages.map((m) => m.value!)),
  };
  members.push(await transport.consume(options));
  await eventually(() => joined, 'the member to join its group', 30_000);
  return batches;
}

it('a member with batchWaitMs takes messages published one by one within the wait in one batch or two', async () => {
  const topic = `batch-wait-${randomUUID()}`;
  await transport.ensureTopics([
    { name: topic, partitions: 1, retentionMs: 3_600_000, replicationFactor: -1 },
  ]);
  const waiting = await member(topic, 2_000);
  const eager = await member(topic);

  const sent = Array.from({ length: 10 }, (_, i) => `m${i}`);
  for (const value of sent) {
    await transport.publish([{ topic, key: 'k', value }]);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  const all = (batches: string[][]) => batches.flat();
  await eventually(
    () => all(waiting).length === 10 && all(eager).length === 10,
    'both members to receive the ten messages',
    30_000,
  );

  expect(all(waiting)).toEqual(sent);
  expect(all(eager)).toEqual(sent);
  // Every fetch the broker holds for 2 s ends at most once within the 0.6 s of publishing.
  expect(waiting.length).toBeLessThanOrEqual(2);
  // Without the wait, the broker answers each fetch as soon as one message is there.
  expect(eager.length).toBeGreaterThanOrEqual(3);
}, 60_000);
