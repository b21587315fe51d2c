import type { Knex } from 'knex';
import type { EventTransport } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Mailer } from '../../lib/mailer.ts';
import { runConsumer } from '../runtime/run-consumer.ts';
import { deliveryConsumer } from './consumer.ts';
import { DeliveryDispatcher, type DeliveryDispatcherOptions } from './dispatcher.ts';
import type { DeliveryOptions } from './options.ts';
import { createSenders } from './senders/index.ts';

/** What the delivery service runs on. */
export interface DeliveryServiceOptions {
  knex: Knex;
  transport: EventTransport;
  logger: Logger;
  options: DeliveryOptions;
  /** Sends email; email channels fail without it. */
  mailer: Mailer | undefined;
  /** The consumer group; tests give each run its own. */
  group?: string;
  /** How long processed event ids are kept (see inboxRetentionFor). */
  processedRetentionMs?: number;
  /** How long a fetch may wait to gather a larger batch (runConsumer's `batchWaitMs`). */
  batchWaitMs?: number;
  /** Dispatcher tuning (concurrency, poll interval, a hook for tests). */
  dispatcher?: Pick<DeliveryDispatcherOptions, 'concurrency' | 'pollIntervalMs' | 'onRecorded'>;
}

/** A running delivery service: its dispatcher and its consumer. */
export interface DeliveryService {
  dispatcher: DeliveryDispatcher;
  /** Stops consuming, then finishes and records the deliveries in flight. */
  stop(): Promise<void>;
}

/**
 * Starts the delivery service: the dispatcher at once (it sends whatever fell due while the
 * service was down, and takes over deliveries a dead replica held once their lease ends), then
 * the consumer that fans events out into deliveries. The consumer starts at the newest events
 * as a new group, like the notification service's.
 */
export async function startDeliveryService(
  options: DeliveryServiceOptions,
): Promise<DeliveryService> {
  const logger = options.logger.child({ component: 'delivery' });
  const senders = createSenders(options.options, options.mailer);
  const dispatcher = new DeliveryDispatcher({
    knex: options.knex,
    logger,
    senders,
    options: options.options,
    ...options.dispatcher,
  });
  dispatcher.start();
  const spec = deliveryConsumer(dispatcher);
  let consumer;
  try {
    consumer = await runConsumer({
      transport: options.transport,
      knex: options.knex,
      logger,
      spec: { ...spec, group: options.group ?? spec.group },
      fromBeginning: false,
      processedRetentionMs: options.processedRetentionMs,
      batchWaitMs: options.batchWaitMs,
    });
  } catch (error) {
    await dispatcher.stop();
    throw error;
  }
  return {
    dispatcher,
    async stop() {
      await consumer.stop();
      await dispatcher.stop();
      await Promise.all([...senders.values()].map((sender) => sender.close?.()));
    },
  };
}
