import type { Logger } from '../lib/logger.ts';
import { metrics } from '../lib/metrics.ts';
import { refusalOf } from '../messaging/errors.ts';
import type { EventTransport, OutgoingMessage } from '../messaging/transport.ts';
import { TOPICS } from '../model/events/topics.ts';
import type { OutboxRow, Refusal } from './publish-rows.ts';

/** A refused row the relay is done with, and what to record as its failure. */
export interface HandledRefusal {
  row: OutboxRow;
  reason: string;
}

/**
 * The record that stands for a refused event on the dead-letter topic: which event, whose, how
 * large and why, without the payload (which is what the broker would not take).
 */
export function refusalLetter({ row, bytes, type, detail }: Refusal): OutgoingMessage {
  const reason = `${type}: ${detail}`.slice(0, 1_000);
  return {
    topic: TOPICS.deadLetter.name,
    key: row.message_key,
    value: JSON.stringify({
      eventId: row.event_id,
      type: row.event_type,
      userId: row.user_id,
      taskId: row.message_key,
      topic: row.topic,
      bytes,
      reason,
    }),
    headers: {
      reason,
      'event-id': row.event_id,
      'event-type': row.event_type,
      'source-topic': row.topic,
      'refused-by': 'outbox-relay',
    },
  };
}

/**
 * Sends a letter for each refused row, in order, counts and logs it. A letter the dead-letter
 * topic refuses too leaves its row failed with both reasons. Any other failure stops there and
 * is returned in `error`: the rows from it on stay unsent and are tried again.
 */
export async function deadLetterRefusals(
  transport: EventTransport,
  refusals: Refusal[],
  logger: Logger,
): Promise<{ handled: HandledRefusal[]; error?: unknown }> {
  const handled: HandledRefusal[] = [];
  for (const refusal of refusals) {
    const letter = refusalLetter(refusal);
    let reason = letter.headers!.reason!;
    let outcome = 'dead-lettered it';
    try {
      await transport.publish([letter]);
    } catch (error) {
      const refusedToo = refusalOf(error);
      if (!refusedToo) return { handled, error };
      reason = `${reason}; the dead-letter topic refused it too: ${refusedToo}`;
      outcome = 'could not dead-letter it either, marked it failed';
    }
    const { row, bytes, type } = refusal;
    metrics.outboxEventsRefused.inc({ reason: type });
    logger.error(
      {
        eventId: row.event_id,
        eventType: row.event_type,
        userId: row.user_id,
        taskId: row.message_key,
        topic: row.topic,
        bytes,
        reason,
      },
      `the broker refused an outbox event; the relay ${outcome} and carries on`,
    );
    handled.push({ row, reason });
  }
  return { handled };
}
