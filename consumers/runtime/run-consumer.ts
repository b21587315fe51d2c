import type { Knex } from 'knex';
import type { Event, EventType } from '../../domain/events/contracts.js';
import { parseEvent, PoisonMessageError } from '../../domain/events/parse-event.js';
import { TOPICS } from '../../messaging/topics.js';
import type { Consumer, EventTransport, IncomingMessage } from '../../messaging/transport.js';
import type { Logger } from '../../server/logger.js';
import { backoffMs } from './backoff.js';
import { isRetriable } from './errors.js';

/** What a handler gets besides the event: the transaction its writes must use. */
export interface HandlerContext {
  trx: Knex.Transaction;
  message: IncomingMessage;
  logger: Logger;
}

/** One consumer group: what it reads and what it does with each event. */
export interface ConsumerSpec {
  group: string;
  topics: string[];
  /** Event types the handler wants; other valid events are acknowledged and skipped. */
  types: EventType[];
  handle(event: Event, context: HandlerContext): Promise<void>;
}

export interface RunConsumerOptions {
  transport: EventTransport;
  knex: Knex;
  logger: Logger;
  spec: ConsumerSpec;
  /** Where a new group starts; true for services that must see every event ever published. */
  fromBeginning?: boolean;
}

/** Outcome of one message, for logs and metrics. */
export type Outcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered';

/**
 * Runs a consumer group member. Each event is applied exactly once: the handler's writes and
 * the event id in `processed_events` commit in one transaction, and the offset is committed only
 * after that. Transient failures are retried with backoff until they pass or the consumer stops
 * (the message is then delivered again); a poison message or a permanent failure goes to the
 * dead-letter topic with the reason, and the consumer carries on.
 */
export async function runConsumer(options: RunConsumerOptions): Promise<Consumer> {
  const { transport, knex, spec } = options;
  const logger = options.logger.child({ consumerGroup: spec.group });
  let stopping = false;

  const deadLetter = async (message: IncomingMessage, reason: string) => {
    await transport.publish([
      {
        topic: TOPICS.deadLetter.name,
        key: message.key ?? '',
        value: message.value ?? '',
        headers: {
          reason,
          'consumer-group': spec.group,
          'source-topic': message.topic,
          'source-partition': String(message.partition),
          'source-offset': message.offset,
        },
      },
    ]);
    logger.warn(
      { topic: message.topic, offset: message.offset, reason },
      'dead-lettered a message',
    );
  };

  const apply = async (event: Event, message: IncomingMessage): Promise<Outcome> => {
    const eventLogger = logger.child({ eventId: event.id, eventType: event.type });
    return knex.transaction(async (trx) => {
      const claimed = await trx('processed_events')
        .insert({ consumer_group: spec.group, event_id: event.id })
        .onConflict(['consumer_group', 'event_id'])
        .ignore()
        .returning('event_id');
      if (claimed.length === 0) return 'duplicate';
      await spec.handle(event, { trx, message, logger: eventLogger });
      return 'applied';
    });
  };

  const handle = async (message: IncomingMessage): Promise<void> => {
    let event: Event;
    try {
      event = parseEvent(message.value);
    } catch (error) {
      if (!(error instanceof PoisonMessageError)) throw error;
      return void (await deadLetter(message, error.message));
    }
    if (!spec.types.includes(event.type)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await apply(event, message);
        logger.debug({ eventId: event.id, outcome }, 'handled event');
        return;
      } catch (error) {
        if (!isRetriable(error)) {
          return void (await deadLetter(message, `handler failed: ${(error as Error).message}`));
        }
        if (stopping) throw error;
        const wait = backoffMs(attempt);
        logger.warn({ err: error, eventId: event.id, attempt, wait }, 'retrying event');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  const consumer = await transport.consume({
    groupId: spec.group,
    topics: spec.topics,
    fromBeginning: options.fromBeginning ?? true,
    handle,
  });
  return {
    async stop() {
      stopping = true;
      await consumer.stop();
    },
  };
}
