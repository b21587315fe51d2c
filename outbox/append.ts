import type { Knex } from 'knex';
import { TOPIC_OF, type Event } from '../model/events/contracts.ts';
import { TOPICS } from '../model/events/topics.ts';
import { wakeAfterCommit } from './wake-after-commit.ts';

/** Whether an event is numbered in its user's sequence: the task events live subscribers read. */
const isSequenced = (event: Event) => TOPIC_OF[event.type] === TOPICS.taskEvents.name;

/**
 * Takes the next `count` numbers of the user's task-event sequence. The counter row stays locked
 * until the caller's transaction ends, so numbers follow commit order.
 */
async function nextUserSeqs(trx: Knex, userId: string, count: number): Promise<number> {
  const [row] = await trx('user_event_sequences')
    .insert({ user_id: userId, last_seq: count })
    .onConflict('user_id')
    .merge({ last_seq: trx.raw('user_event_sequences.last_seq + ?', [count]) })
    .returning<{ last_seq: string }[]>('last_seq');
  return Number(row!.last_seq) - count + 1;
}

/**
 * Writes events to the outbox in the caller's transaction: they are published if and only if
 * the change they describe commits. Task events get their user's next sequence numbers. Once the
 * transaction commits, the relays this process knows of are woken (see wake-after-commit.ts).
 */
export async function appendToOutbox(trx: Knex, events: Event[]): Promise<void> {
  if (events.length === 0) return;
  const seqOf = new Map<Event, number>();
  const byUser = new Map<string, Event[]>();
  for (const event of events.filter(isSequenced)) {
    byUser.set(event.userId, [...(byUser.get(event.userId) ?? []), event]);
  }
  // Users in a fixed order, so two transactions that number the same users cannot deadlock.
  for (const userId of [...byUser.keys()].sort()) {
    const sequenced = byUser.get(userId)!;
    const first = await nextUserSeqs(trx, userId, sequenced.length);
    sequenced.forEach((event, i) => seqOf.set(event, first + i));
  }
  await trx('outbox').insert(
    events.map((event) => ({
      event_id: event.id,
      topic: TOPIC_OF[event.type],
      message_key: event.taskId,
      event_type: event.type,
      user_id: event.userId,
      user_seq: seqOf.get(event) ?? null,
      payload: JSON.stringify(event),
    })),
  );
  wakeAfterCommit(trx);
}
