import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { KafkaTransport } from '../messaging/kafka-transport.ts';
import type { IncomingMessage } from '../messaging/transport.ts';
import { loadConfig } from '../server/config.ts';
import { requireTestEnv } from './env.ts';

/** A Kafka transport on the run's broker, quiet unless TEST_LOG_LEVEL says otherwise. */
export function testKafka(brokers = requireTestEnv('KAFKA_BROKERS')): KafkaTransport {
  return new KafkaTransport(
    {
      brokers: brokers.split(','),
      clientId: `test-${randomUUID().slice(0, 8)}`,
      ssl: false,
      sasl: undefined,
    },
    pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
}

/** The product's topics as the default configuration creates them. */
export const testTopics = () => loadConfig({}).topics;

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Collects every message of `topics` (from the beginning) into an array, for assertions. */
export async function collect(transport: KafkaTransport, topics: string[]) {
  const messages: IncomingMessage[] = [];
  const consumer = await transport.consume({
    groupId: `collector-${randomUUID()}`,
    topics,
    fromBeginning: true,
    handleBatch: async (batch) => void messages.push(...batch),
  });
  return { messages, stop: () => consumer.stop() };
}
