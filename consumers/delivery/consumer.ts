import { WEBHOOK_EVENT_TYPES } from '../../model/channels.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { fanOutEvents } from '../../domain/deliveries.ts';
import type { ConsumerSpec } from '../runtime/consumer-spec.ts';

/** The consumer group of the delivery service. */
export const DELIVERY_GROUP = 'delivery';

/**
 * The delivery service's consumer: each reminder and each task event a webhook may ask for
 * becomes one delivery per channel that wants it, in the batch's transaction (so a redelivered
 * event creates nothing twice); once they commit, the dispatcher is woken to send them.
 */
export function deliveryConsumer(dispatcher: { wake(): void }): ConsumerSpec {
  return {
    group: DELIVERY_GROUP,
    topics: [TOPICS.taskReminders.name, TOPICS.taskEvents.name, TOPICS.taskRecurrence.name],
    types: [...WEBHOOK_EVENT_TYPES],
    async handle(event, { trx, afterCommit }) {
      if ((await fanOutEvents(trx, [event])) > 0) afterCommit(() => dispatcher.wake());
    },
    async handleBatch(events, { trx, afterCommit }) {
      if ((await fanOutEvents(trx, events)) > 0) afterCommit(() => dispatcher.wake());
    },
  };
}
