import type { Knex } from 'knex';
import { metrics } from '../lib/metrics.ts';
import { eventSchema, type Event } from '../model/events/contracts.ts';

/**
 * A row of a user's task-event sequence the event schema refuses (one written before a bug was
 * fixed): readers skip it and go on after its number.
 */
export interface UnreadableEventRow {
  seq: number;
  eventId: string;
  event: null;
  /** The first thing the schema refused, e.g. `payload.task.dueAt: Invalid ISO datetime`. */
  problem: string;
}

/** A row of a user's task-event sequence: its event, or why it cannot be read. */
export type UserEventRow = { seq: number; eventId: string; event: Event } | UnreadableEventRow;

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

/**
 * Up to `limit` task events of `userId` after sequence number `after`, in sequence order. A row
 * the event schema refuses comes back without its event (and is counted in
 * `todo_unreadable_events_skipped_total`): a reader skips it rather than stop at it for as long
 * as the outbox keeps it.
 */
export async function userEventsAfter(
  db: Knex,
  userId: string,
  after: number,
  limit: number,
): Promise<UserEventRow[]> {
  const rows: Array<{ user_seq: string; event_id: string; payload: unknown }> = await db('outbox')
    .where('user_id', userId)
    .where('user_seq', '>', after)
    .orderBy('user_seq')
    .limit(limit)
    .select('user_seq', 'event_id', 'payload');
  return rows.map((row) => {
    const seq = Number(row.user_seq);
    const parsed = eventSchema.safeParse(row.payload);
    if (parsed.success) return { seq, eventId: row.event_id, event: parsed.data as Event };
    metrics.unreadableEventsSkipped.inc();
    const issue = parsed.error.issues[0]!;
    const problem = `${issue.path.join('.') || 'event'}: ${issue.message}`;
    return { seq, eventId: row.event_id, event: null, problem };
  });
}

/** The reads a live hub makes, bound to a database. */
export const sequenceReader = (db: Knex) => ({
  lastSeq: (userId: string) => lastUserSeq(db, userId),
  eventsAfter: (userId: string, after: number, limit: number) =>
    userEventsAfter(db, userId, after, limit),
});
