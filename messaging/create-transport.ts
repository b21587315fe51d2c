import type { Logger } from '../lib/logger.ts';
import { InProcessTransport } from './in-process-transport.ts';
import type { KafkaOptions } from './kafka-options.ts';
import { KafkaTransport } from './kafka-transport.ts';
import type { EventTransport } from './transport.ts';

/** Kafka when it is configured (`KAFKA_BROKERS`), the in-process transport otherwise. */
export function createTransport(kafka: KafkaOptions | undefined, logger: Logger): EventTransport {
  return kafka ? new KafkaTransport(kafka, logger) : new InProcessTransport();
}
