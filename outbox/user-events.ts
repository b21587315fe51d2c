import type { Knex } from 'knex';
import { eventSchema, type Event } from '../model/events/contracts.ts';

/** The sequence number of a task event of `userId`, or undefined (unknown, another user's, pruned). */
export async function userSeqOf(
  db: Knex,
  userId: string,
  eventId: string,
): Promise<number | undefined> {
  const row = await db('outbox')
    .where({ user_id: userId, event_id: eventId })
    .whereNotNull('user_seq')
    .first<{ user_seq: string } | undefined>('user_seq');
  return row ? Number(row.user_seq) : undefined;
}

/** The last number of the user's task-event sequence (0 before their first task event). */
export async function lastUserSeq(db: Knex, userId: string): Promise<number> {
  const row = await db('user_event_sequences')
    .where({ user_id: userId })
    .first<{ last_seq: string } | undefined>('last_seq');
  return row ? Number(row.last_seq) : 0;
}

/** Up to `limit` task events of `userId` after sequence number `after`, in sequence order. */
export async function userEventsAfter(
  db: Knex,
  userId: string,
  after: number,
  limit: number,
): Promise<Array<{ seq: number; event: Event }>> {
  const rows: Array<{ user_seq: string; payload: unknown }> = await db('outbox')
    .where('user_id', userId)
    .where('user_seq', '>', after)
    .orderBy('user_seq')
    .limit(limit)
    .select('user_seq', 'payload');
  return rows.map((row) => ({
    seq: Number(row.user_seq),
    event: eventSchema.parse(row.payload) as Event,
  }));
}

/** The reads a live hub makes, bound to a database. */
export const sequenceReader = (db: Knex) => ({
  lastSeq: (userId: string) => lastUserSeq(db, userId),
  eventsAfter: (userId: string, after: number, limit: number) =>
    userEventsAfter(db, userId, after, limit),
});
