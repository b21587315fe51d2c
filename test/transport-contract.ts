import { randomUUID } from 'node:crypto';
import {
  MAX_BATCH,
  type Consumer,
  type ConsumerStatus,
  type EventTransport,
  type IncomingMessage,
  type OutgoingMessage,
} from '../messaging/transport.ts';

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
async function eventually(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The behaviour every EventTransport must have; run by the spec of each implementation so the
 * embedded default and Kafka cannot drift apart.
 */
export function transportContract(name: string, open: () => Promise<EventTransport>): void {
  describe(`${name} transport contract`, () => {
    let transport: EventTransport;
    const consumers: Consumer[] = [];
    let topic: string;

    const messages = (keys: string[], perKey: number): OutgoingMessage[] =>
      Array.from({ length: perKey }, (_, i) =>
        keys.map((key) => ({ topic, key, value: `${key}:${i}`, headers: { seq: String(i) } })),
      ).flat();

    const consume = async (
      groupId: string,
      handle: (message: IncomingMessage) => Promise<void>,
    ): Promise<Consumer> => {
      const consumer = await transport.consume({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handle,
      });
      consumers.push(consumer);
      return consumer;
    };

    beforeAll(async () => {
      transport = await open();
    });
    afterAll(async () => {
      await transport.close();
    });
    beforeEach(async () => {
      topic = `contract-${randomUUID()}`;
      await transport.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
    });
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    });

    it('is healthy and creates topics idempotently', async () => {
      await expect(transport.healthCheck()).resolves.toBeUndefined();
      await expect(
        transport.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]),
      ).resolves.toBeUndefined();
    });

    it('delivers every message with its key, value and headers, in order per key', async () => {
      const sent = messages(['a', 'b', 'c', 'd'], 5);
      await transport.publish(sent);
      const received: IncomingMessage[] = [];
      await consume(`group-${randomUUID()}`, async (message) => void received.push(message));
      await eventually(() => received.length === sent.length, 'all messages');
      for (const key of ['a', 'b', 'c', 'd']) {
        expect(received.filter((m) => m.key === key).map((m) => m.value)).toEqual(
          [0, 1, 2, 3, 4].map((i) => `${key}:${i}`),
        );
      }
      expect(received[0]).toMatchObject({ topic, headers: { seq: expect.any(String) } });
      expect(typeof received[0]!.timestamp).toBe('number');
    });

    it('gives every consumer group its own copy of the stream', async () => {
      await transport.publish(messages(['k'], 3));
      const first: string[] = [];
      const second: string[] = [];
      await consume(`group-${randomUUID()}`, async (m) => void first.push(m.value!));
      await consume(`group-${randomUUID()}`, async (m) => void second.push(m.value!));
      await eventually(() => first.length === 3 && second.length === 3, 'both groups');
      expect(first).toEqual(['k:0', 'k:1', 'k:2']);
      expect(second).toEqual(first);
    });

    it('redelivers a message whose handler failed, and keeps order behind it', async () => {
      await transport.publish(messages(['k'], 3));
      const seen: string[] = [];
      let failures = 0;
      await consume(`group-${randomUUID()}`, async (m) => {
        seen.push(m.value!);
        if (m.value === 'k:1' && failures++ === 0) throw new Error('transient');
      });
      await eventually(() => seen.includes('k:2'), 'the message after the failed one');
      expect(seen).toEqual(['k:0', 'k:1', 'k:1', 'k:2']);
    });

    it('commits after handling: a restarted member resumes after the last handled message', async () => {
      const groupId = `group-${randomUUID()}`;
      await transport.publish(messages(['k'], 2));
      const before: string[] = [];
      const first = await consume(groupId, async (m) => void before.push(m.value!));
      await eventually(() => before.length === 2, 'the first two');
      await first.stop();
      consumers.splice(consumers.indexOf(first), 1);

      await transport.publish([{ topic, key: 'k', value: 'k:2' }]);
      const after: string[] = [];
      await consume(groupId, async (m) => void after.push(m.value!));
      await eventually(() => after.length >= 1, 'the third');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(after).toEqual(['k:2']);
    });

    it('hands a batch handler consecutive messages of one partition and redelivers a failed batch', async () => {
      await transport.publish(messages(['k'], 5));
      const batches: string[][] = [];
      let failed = false;
      await transport
        .consume({
          groupId: `group-${randomUUID()}`,
          topics: [topic],
          fromBeginning: true,
          handleBatch: async (batch) => {
            batches.push(batch.map((m) => m.value!));
            if (!failed) {
              failed = true;
              throw new Error('transient');
            }
          },
        })
        .then((consumer) => consumers.push(consumer));
      await eventually(
        () => batches.length >= 2 && batches.flat().includes('k:4'),
        'the redelivery',
      );
      const [first, ...rest] = batches;
      expect(first![0]).toBe('k:0');
      expect(rest.flat()).toEqual(['k:0', 'k:1', 'k:2', 'k:3', 'k:4']);
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(MAX_BATCH);
    });

    it('hands a batch handler all that waits in a partition in one call, more than 100 messages', async () => {
      await transport.publish(messages(['k'], 250));
      const sizes: number[] = [];
      await transport
        .consume({
          groupId: `group-${randomUUID()}`,
          topics: [topic],
          fromBeginning: true,
          handleBatch: async (batch) => void sizes.push(batch.length),
        })
        .then((consumer) => consumers.push(consumer));
      await eventually(() => sizes.reduce((a, b) => a + b, 0) >= 250, 'all 250 messages');
      expect(sizes).toEqual([250]);
    });

    it('handles partitions side by side, each in order', async () => {
      const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
      await transport.publish(messages(keys, 5));
      const received: IncomingMessage[] = [];
      const started = new Set<number>();
      let waitedInVain = false;
      await transport
        .consume({
          groupId: `group-${randomUUID()}`,
          topics: [topic],
          fromBeginning: true,
          handleBatch: async (batch) => {
            started.add(batch[0]!.partition);
            // A batch waits for one of another partition to start, which one partition after the
            // other never does; at most 5 s, so that the test fails rather than hangs.
            await eventually(() => started.size > 1, 'another partition', 5_000).catch(
              () => void (waitedInVain = true),
            );
            received.push(...batch);
          },
        })
        .then((consumer) => consumers.push(consumer));
      await eventually(() => received.length === keys.length * 5, 'all 60 messages');
      expect(waitedInVain).toBe(false);
      for (const key of keys) {
        expect(received.filter((m) => m.key === key).map((m) => m.value)).toEqual(
          [0, 1, 2, 3, 4].map((i) => `${key}:${i}`),
        );
      }
    });

    it('tells a member that it joined its group, once joined', async () => {
      const statuses: ConsumerStatus[] = [];
      await transport
        .consume({
          groupId: `group-${randomUUID()}`,
          topics: [topic],
          fromBeginning: true,
          handle: async () => {},
          onStatus: (status) => void statuses.push(status),
        })
        .then((consumer) => consumers.push(consumer));
      expect(statuses).toEqual([{ state: 'joined', rejoined: false }]);
    });

    it('starts a member that keeps no position at the newest message', async () => {
      await transport.publish(messages(['k'], 2));
      const received: string[] = [];
      await transport
        .consume({
          groupId: `group-${randomUUID()}`,
          topics: [topic],
          fromBeginning: false,
          commitOffsets: false,
          handle: async (m) => void received.push(m.value!),
        })
        .then((consumer) => consumers.push(consumer));
      await transport.publish([{ topic, key: 'k', value: 'k:2' }]);
      await eventually(() => received.length >= 1, 'the message after the start');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(received).toEqual(['k:2']);
    });

    it('shares the stream among the members of one group instead of copying it', async () => {
      const groupId = `group-${randomUUID()}`;
      const handled: string[] = [];
      const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
      await consume(groupId, async (m) => void handled.push(m.value!));
      await consume(groupId, async (m) => void handled.push(m.value!));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await transport.publish(messages(keys, 2));
      const all = messages(keys, 2).map((m) => m.value);
      await eventually(() => new Set(handled).size === all.length, 'all 24 messages');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect([...new Set(handled)].sort()).toEqual(all.sort());
      // At-least-once allows a redelivery around a rebalance, never a copy per member.
      expect(handled.length).toBeLessThan(2 * all.length);
    });
  });
}
