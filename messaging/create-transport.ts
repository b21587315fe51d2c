import type { Logger } from '../lib/logger.ts';
import { InProcessTransport } from './in-process-transport.ts';
import type { KafkaOptions } from './kafka-options.ts';
import { KafkaTransport } from './kafka-transport.ts';
import { namespacedTransport } from './namespaced-transport.ts';
import type { EventTransport } from './transport.ts';

/**
 * Kafka when it is configured (`KAFKA_BROKERS`), under its namespace when it has one
 * (`KAFKA_NAMESPACE`); the in-process transport otherwise.
 */
export function createTransport(kafka: KafkaOptions | undefined, logger: Logger): EventTransport {
  if (!kafka) return new InProcessTransport();
  const transport = new KafkaTransport(kafka, logger);
  return kafka.namespace ? namespacedTransport(transport, kafka.namespace) : transport;
}
