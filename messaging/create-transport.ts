import type { Config } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import { InProcessTransport } from './in-process-transport.js';
import { KafkaTransport } from './kafka-transport.js';
import type { EventTransport } from './transport.js';

/** Kafka when `KAFKA_BROKERS` is set, the in-process transport otherwise. */
export function createTransport(config: Pick<Config, 'kafka'>, logger: Logger): EventTransport {
  return config.kafka ? new KafkaTransport(config.kafka, logger) : new InProcessTransport();
}
