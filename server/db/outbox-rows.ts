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

/** Where an event of `userId` sits in the outbox, or undefined (unknown, another user's, pruned). */
export async function outboxPositionOf(
  db: Knex,
  userId: string,
  eventId: string,
): Promise<string | undefined> {
  const row = await db('outbox')
    .where({ user_id: userId, event_id: eventId })
    .first<{ id: string } | undefined>('id');
  return row?.id;
}

/** Up to `limit` events of `userId` of the given types after `position`, in outbox order. */
export async function outboxEventsAfter(
  db: Knex,
  userId: string,
  position: string,
  types: readonly string[],
  limit: number,
): Promise<Array<{ id: string; payload: unknown }>> {
  return db('outbox')
    .where('user_id', userId)
    .where('id', '>', position)
    .whereIn('event_type', types)
    .orderBy('id')
    .limit(limit)
    .select('id', 'payload');
}
