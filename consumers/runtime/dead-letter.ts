import { TOPICS } from '../../model/events/topics.ts';
import type { EventTransport, IncomingMessage } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';
import { metrics } from '../../lib/metrics.ts';

/** A message that will never be applied, and why. */
export interface DeadLetter {
  message: IncomingMessage;
  reason: string;
}

/**
 * A function that publishes messages to the dead-letter topic as they came, with the reason
 * and where they came from in the headers, and logs each.
 */
export function deadLetterer(
  transport: EventTransport,
  group: string,
  logger: Logger,
): (letters: DeadLetter[]) => Promise<void> {
  return async (letters) => {
    if (letters.length === 0) return;
    await transport.publish(
      letters.map(({ message, reason }) => ({
        topic: TOPICS.deadLetter.name,
        key: message.key ?? '',
        value: message.value ?? '',
        headers: {
          reason,
          'consumer-group': group,
          'source-topic': message.topic,
          'source-partition': String(message.partition),
          'source-offset': message.offset,
        },
      })),
    );
    metrics.deadLettered.inc({ group }, letters.length);
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
}
