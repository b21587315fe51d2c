import type { Knex } from 'knex';
import { TOPIC_OF, type Event } from '../model/events/contracts.ts';
import { wakeAfterCommit } from './wake-after-commit.ts';

/**
 * Writes events to the outbox in the caller's transaction: they are published if and only if
 * the change they describe commits. Nothing else is locked or counted here: the relay numbers
 * task events when it claims them (see claim-batch.ts), so writers of one user never wait for
 * each other. Once the transaction commits, the relays this process knows of are woken (see
 * wake-after-commit.ts).
 */
export async function appendToOutbox(trx: Knex, events: Event[]): Promise<void> {
  if (events.length === 0) return;
  await trx('outbox').insert(events.map(outboxRowOf));
  wakeAfterCommit(trx);
}

/** The outbox row of an event, as inserted. */
export interface OutboxRow {
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  user_id: string;
  /** The event as JSON. */
  payload: string;
  /** The payload's size in bytes (UTF-8), which the relay bounds its batches by. */
  payload_bytes: number;
}

/** The outbox row that publishes `event`. */
export function outboxRowOf(event: Event): OutboxRow {
  const payload = JSON.stringify(event);
  return {
    event_id: event.id,
    topic: TOPIC_OF[event.type],
    message_key: event.taskId,
    event_type: event.type,
    user_id: event.userId,
    payload,
    payload_bytes: Buffer.byteLength(payload),
  };
}
