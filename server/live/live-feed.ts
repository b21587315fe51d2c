import { hostname } from 'node:os';
import { parseEvent, PoisonMessageError } from '../../model/events/parse-event.ts';
import { TOPICS } from '../../model/events/topics.ts';
import type { Consumer, EventTransport } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';
import type { LiveHub } from './live-hub.ts';

/** What the live feed reads from and delivers to. */
export interface LiveFeedOptions {
  transport: EventTransport;
  hub: LiveHub;
  logger: Logger;
  /**
   * This replica's consumer group. Every replica needs one of its own so that each sees every
   * event; the default is stable per replica (see liveFeedGroup), not random.
   */
  groupId?: string;
}

/**
 * The default consumer group of this replica's live feed: its host (a pod's name) and process id
 * (1 in a container), so two API processes on one host do not split the partitions between them.
 */
export const liveFeedGroup = (replica = `${hostname()}-${process.pid}`): string =>
  `api-live-${replica}`;

/**
 * Feeds the hub from Kafka: reminders, and task events (which make the hub read the user's
 * events from the outbox in sequence order), from the newest message on. It commits no offsets,
 * so its group leaves nothing on the broker once the replica is gone; a subscriber that
 * reconnects after a restart resumes from the outbox with `taskEvents(after:)`.
 */
export async function startLiveFeed(options: LiveFeedOptions): Promise<Consumer> {
  const logger = options.logger.child({ component: 'live-feed' });
  return options.transport.consume({
    groupId: options.groupId ?? liveFeedGroup(),
    topics: [TOPICS.taskEvents.name, TOPICS.taskReminders.name],
    fromBeginning: false,
    commitOffsets: false,
    handleBatch: async (messages) => {
      for (const message of messages) {
        try {
          options.hub.publish(parseEvent(message.value));
        } catch (error) {
          if (!(error instanceof PoisonMessageError)) throw error;
          // The owning consumers dead-letter it; live subscribers just never see it.
          logger.warn(
            {
              topic: message.topic,
              offset: message.offset,
              eventId: message.headers['event-id'],
              reason: error.message,
            },
            'skipped a message that is not a valid event',
          );
        }
      }
    },
  });
}
