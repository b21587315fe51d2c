import type { Knex } from 'knex';
import type { Event } from '../../model/events/contracts.ts';
import { TOPICS } from '../../model/events/topics.ts';
import type { EventTransport } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';
import { runConsumer, type ConsumerSpec } from '../runtime/run-consumer.ts';
import { ReminderScheduler, type ReminderSchedulerOptions } from './scheduler.ts';

/** The consumer group of the notification service. */
export const NOTIFICATION_GROUP = 'notification';

/** The reminder time an event leaves pending, if any. */
function pendingReminder(event: Event): Date | undefined {
  if (
    event.type !== 'task.created' &&
    event.type !== 'task.updated' &&
    event.type !== 'task.reopened'
  ) {
    return undefined;
  }
  const { task } = event.payload;
  return task.remindAt && !task.reminderSentAt && !task.completed
    ? new Date(task.remindAt)
    : undefined;
}

/**
 * The notification service's consumer: task events tell it that a write set or moved a
 * reminder, so the scheduler wakes early instead of sleeping past the new time; a batch wakes it
 * once, for its soonest reminder. It writes nothing; the reminders themselves are scheduled
 * from the database.
 */
export function notificationConsumer(scheduler: Pick<ReminderScheduler, 'wake'>): ConsumerSpec {
  return {
    group: NOTIFICATION_GROUP,
    topics: [TOPICS.taskEvents.name],
    types: ['task.created', 'task.updated', 'task.reopened'],
    async handle(event) {
      const remindAt = pendingReminder(event);
      if (remindAt) scheduler.wake(remindAt);
    },
    async handleBatch(events) {
      const times = events.flatMap((event) => pendingReminder(event)?.getTime() ?? []);
      if (times.length > 0) scheduler.wake(new Date(Math.min(...times)));
    },
  };
}

/** What the notification service runs on. */
export interface NotificationServiceOptions extends Omit<ReminderSchedulerOptions, 'logger'> {
  knex: Knex;
  transport: EventTransport;
  logger: Logger;
  /** The consumer group; tests give each run its own. */
  group?: string;
  /** How long processed event ids are kept (see inboxRetentionFor). */
  processedRetentionMs?: number;
  /** How long a fetch may wait to gather a larger batch (runConsumer's `batchWaitMs`). */
  batchWaitMs?: number;
}

/** A running notification service: its scheduler and its consumer. */
export interface NotificationService {
  scheduler: ReminderScheduler;
  /** Stops consuming and scheduling; the claim in hand commits first. */
  stop(): Promise<void>;
}

/**
 * Starts the notification service: the scheduler at once (it sends whatever fell due while the
 * service was down), then the consumer that wakes it. The consumer starts at the newest events,
 * as a new group: the scheduler reads every pending reminder from the database anyway.
 */
export async function startNotificationService(
  options: NotificationServiceOptions,
): Promise<NotificationService> {
  const { transport, group, processedRetentionMs, batchWaitMs, ...schedulerOptions } = options;
  const logger = options.logger.child({ component: 'notification' });
  const scheduler = new ReminderScheduler({ ...schedulerOptions, logger });
  scheduler.start();
  const spec = notificationConsumer(scheduler);
  let consumer;
  try {
    consumer = await runConsumer({
      transport,
      knex: options.knex,
      logger,
      spec: { ...spec, group: group ?? spec.group },
      fromBeginning: false,
      processedRetentionMs,
      batchWaitMs,
    });
  } catch (error) {
    await scheduler.stop();
    throw error;
  }
  return {
    scheduler,
    async stop() {
      await Promise.all([consumer.stop(), scheduler.stop()]);
    },
  };
}
