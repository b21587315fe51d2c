import type { Config } from '../server/config.ts';
import type { Logger } from '../server/logger.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { KafkaTransport } from './kafka-transport.ts';
import type { EventTransport } from './transport.ts';

/** Kafka when `KAFKA_BROKERS` is set, the in-process transport otherwise. */
export function createTransport(config: Pick<Config, 'kafka'>, logger: Logger): EventTransport {
  return config.kafka ? new KafkaTransport(config.kafka, logger) : new InProcessTransport();
}
