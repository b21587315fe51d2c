import type { Knex } from 'knex';
import type { Event, EventType } from '../../model/events/contracts.ts';
import { parseEvent, PoisonMessageError } from '../../model/events/parse-event.ts';
import { TOPICS } from '../../model/events/topics.ts';
import type { Consumer, EventTransport, IncomingMessage } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';
import { metrics } from '../../lib/metrics.ts';
import { backoffMs } from '../../lib/backoff.ts';
import { isRetriable } from '../../messaging/errors.ts';
import { pruneProcessedEvents } from '../../inbox/prune.ts';
import { recordProcessed } from '../../inbox/record-processed.ts';

/** What a handler gets besides the event: the transaction its writes must use. */
export interface HandlerContext {
  trx: Knex.Transaction;
  message: IncomingMessage;
  logger: Logger;
  /** Runs `effect` once this event's writes have committed (never if they roll back). */
  afterCommit(effect: () => void): void;
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
  /** How long processed event ids are kept for deduplication (see PROCESSED_RETENTION_MS). */
  processedRetentionMs?: number;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/** A message that parsed as an event this consumer wants. */
interface Wanted {
  event: Event;
  message: IncomingMessage;
}

/**
 * Runs a consumer group member. Each event is applied exactly once: the handler's writes and
 * the event id in `processed_events` commit in one transaction, and the offsets are committed
 * only after that. A batch of messages shares one transaction (one commit, one fsync) with a
 * savepoint per event, so one failing event does not undo the others. Transient failures retry
 * the batch with backoff until they pass or the consumer stops (the batch is then delivered
 * again); a poison message or a permanent failure goes to the dead-letter topic with the
 * reason, and the consumer carries on.
 */
export async function runConsumer(options: RunConsumerOptions): Promise<Consumer> {
  const { transport, knex, spec } = options;
  const logger = options.logger.child({ consumerGroup: spec.group });
  let stopping = false;

  const deadLetter = async (letters: { message: IncomingMessage; reason: string }[]) => {
    if (letters.length === 0) return;
    await transport.publish(
      letters.map(({ message, reason }) => ({
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
      })),
    );
    metrics.deadLettered.inc({ group: spec.group }, letters.length);
    for (const { message, reason } of letters) {
      logger.warn(
        {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          eventId: message.headers['event-id'],
          reason,
        },
        'dead-lettered a message',
      );
    }
  };

  /** Applies the events in one transaction; returns the ones that failed for good. */
  const applyAll = async (wanted: Wanted[]) => {
    const committed: Array<() => void> = [];
    const failed = await knex.transaction(async (trx) => {
      const failed: { message: IncomingMessage; reason: string }[] = [];
      for (const { event, message } of wanted) {
        const effects: Array<() => void> = [];
        try {
          await trx.transaction(async (savepoint) => {
            if (!(await recordProcessed(savepoint, spec.group, event.id))) return;
            await spec.handle(event, {
              trx: savepoint,
              message,
              logger: logger.child({ eventId: event.id, eventType: event.type }),
              afterCommit: (effect) => effects.push(effect),
            });
          });
          committed.push(...effects);
        } catch (error) {
          if (isRetriable(error)) throw error;
          failed.push({ message, reason: `handler failed: ${(error as Error).message}` });
        }
      }
      return failed;
    });
    for (const effect of committed) effect();
    return failed;
  };

  const handleBatch = async (messages: IncomingMessage[]): Promise<void> => {
    const poison: { message: IncomingMessage; reason: string }[] = [];
    const wanted: Wanted[] = [];
    for (const message of messages) {
      try {
        const event = parseEvent(message.value);
        if (spec.types.includes(event.type)) wanted.push({ event, message });
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        poison.push({ message, reason: error.message });
      }
    }
    await deadLetter(poison);
    if (wanted.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        return void (await deadLetter(await applyAll(wanted)));
      } catch (error) {
        if (stopping || !isRetriable(error)) throw error;
        const wait = backoffMs(attempt);
        logger.warn({ err: error, attempt, wait, events: wanted.length }, 'retrying a batch');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  const prune = () =>
    pruneProcessedEvents(knex, spec.group, options.processedRetentionMs).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not prune processed event ids; will try again'),
    );
  const pruning = setInterval(() => void prune(), PRUNE_EVERY_MS).unref();
  void prune();

  const consumer = await transport.consume({
    groupId: spec.group,
    topics: spec.topics,
    fromBeginning: options.fromBeginning ?? true,
    handleBatch,
    onLag: (topic, partition, lag) =>
      metrics.consumerLag.set({ group: spec.group, topic, partition }, lag),
  });
  return {
    async stop() {
      stopping = true;
      clearInterval(pruning);
      await consumer.stop();
    },
  };
}
