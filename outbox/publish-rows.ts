import { refusalOf, type RefusalType } from '../messaging/errors.ts';
import { USER_SEQ_HEADER } from '../model/events/headers.ts';
import type { EventTransport, OutgoingMessage } from '../messaging/transport.ts';
import { messageBytes, REQUEST_OVERHEAD_BYTES, splitByBytes } from './message-bytes.ts';

/** An unsent outbox row, as the relay reads it. */
export interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  user_id: string;
  /** The user's sequence number of a task event; null for other events. */
  user_seq?: number | null;
  /** The event as JSON text, sent as it is stored. */
  payload: string;
  created_at: Date;
}

/** A row the broker will not take for what it is, with its size in a produce request. */
export interface Refusal {
  row: OutboxRow;
  bytes: number;
  type: RefusalType;
  detail: string;
}

/**
 * What publishing a batch came to: the rows the broker acknowledged and the rows it refused, in
 * id order. `error`, when set, stopped the batch there: the rows after it were not tried.
 */
export interface PublishOutcome {
  published: OutboxRow[];
  refused: Refusal[];
  error?: unknown;
}

interface Outgoing {
  row: OutboxRow;
  message: OutgoingMessage;
  bytes: number;
}

const outgoingOf = (row: OutboxRow): Outgoing => {
  const headers: Record<string, string> = {
    'event-id': row.event_id,
    'event-type': row.event_type,
  };
  if (row.user_seq != null) headers[USER_SEQ_HEADER] = String(row.user_seq);
  const message = { topic: row.topic, key: row.message_key, value: row.payload, headers };
  return { row, message, bytes: messageBytes(message) };
};

/**
 * Publishes `rows` in id order, in requests of at most `maxBytes` each, one after the other so
 * one task's events reach their partition in order. A row over the bound on its own is refused
 * without being sent. When the broker refuses a request for a message in it, the request is
 * halved until the refused message stands alone; the others are sent again (at least once).
 * Any other failure stops the batch and is returned in `error`.
 */
export async function publishRows(
  transport: EventTransport,
  rows: OutboxRow[],
  maxBytes: number,
): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { published: [], refused: [] };
  try {
    for (const run of splitByBytes(rows.map(outgoingOf), (item) => item.bytes, maxBytes)) {
      await sendOrIsolate(transport, run, maxBytes, outcome);
    }
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}

async function sendOrIsolate(
  transport: EventTransport,
  run: Outgoing[],
  maxBytes: number,
  outcome: PublishOutcome,
): Promise<void> {
  const [first] = run;
  if (run.length === 1 && first!.bytes + REQUEST_OVERHEAD_BYTES > maxBytes) {
    const detail = `${first!.bytes} bytes, over the relay's bound of ${maxBytes} bytes a request`;
    outcome.refused.push({ ...first!, type: 'MESSAGE_TOO_LARGE', detail });
    return;
  }
  try {
    await transport.publish(run.map((item) => item.message));
    outcome.published.push(...run.map((item) => item.row));
  } catch (error) {
    const type = refusalOf(error);
    if (!type) throw error;
    if (run.length === 1) {
      outcome.refused.push({ ...first!, type, detail: (error as Error).message });
      return;
    }
    const half = Math.ceil(run.length / 2);
    await sendOrIsolate(transport, run.slice(0, half), maxBytes, outcome);
    await sendOrIsolate(transport, run.slice(half), maxBytes, outcome);
  }
}
