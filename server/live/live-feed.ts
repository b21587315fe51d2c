import { hostname } from 'node:os';
import { userSeqOf } from '../../model/events/headers.ts';
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
 * Feeds the hub from Kafka: reminders, and task events with their user sequence number (the
 * hub delivers the next in sequence as it comes, and reads the user's events from the outbox in
 * sequence order for any other), from the newest message on. It commits no offsets,
 * so its group leaves nothing on the broker once the replica is gone; a subscriber that
 * reconnects after a restart resumes from the outbox with `taskEvents(after:)`. The transport
 * keeps the feed's position in memory, so when the feed rejoins Kafka (after an outage or a
 * crash) it goes on from the message it stopped at: what was published meanwhile, reminders
 * included, still reaches the subscribers connected throughout. On rejoining, the hub also reads
 * every subscribed user's task events again, in case news of them was lost.
 */
export async function startLiveFeed(options: LiveFeedOptions): Promise<Consumer> {
  const logger = options.logger.child({ component: 'live-feed' });
  return options.transport.consume({
    groupId: options.groupId ?? liveFeedGroup(),
    topics: [TOPICS.taskEvents.name, TOPICS.taskReminders.name],
    fromBeginning: false,
    commitOffsets: false,
    onStatus: (status) => {
      if (status.state === 'interrupted') {
        logger.warn({ err: status.error }, 'live feed lost Kafka; it resumes where it stopped');
      } else if (status.rejoined) {
        logger.info('live feed rejoined Kafka; reading the task events of subscribers again');
        options.hub.rereadTaskEvents();
      }
    },
    handleBatch: async (messages) => {
      for (const message of messages) {
        try {
          options.hub.publish(parseEvent(message.value), userSeqOf(message.headers));
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
