import type { Knex } from 'knex';
import { TOPIC_OF, type Event } from '../../domain/events/contracts.js';

/**
 * Writes events to the outbox in the caller's transaction: they are published if and only if
 * the change they describe commits.
 */
export async function appendToOutbox(trx: Knex, events: Event[]): Promise<void> {
  if (events.length === 0) return;
  await trx('outbox').insert(
    events.map((event) => ({
      event_id: event.id,
      topic: TOPIC_OF[event.type],
      message_key: event.taskId,
      event_type: event.type,
      user_id: event.userId,
      payload: JSON.stringify(event),
    })),
  );
}
