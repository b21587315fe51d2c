import type { Knex } from 'knex';
import type { ChannelKind } from '../model/channels.ts';
import type { Event } from '../model/events/contracts.ts';
import { newEvent } from '../model/events/new-event.ts';
import { appendToOutbox } from '../outbox/append.ts';

interface FinishedRow {
  channel_id: string;
  kind: ChannelKind;
  status: 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  last_status_code: number | null;
  finished_at: Date;
  event: Event<'reminder.due'>;
}

/**
 * Writes the `reminder.sent` of the reminder `eventId` once all its deliveries are final, in the
 * caller's transaction, which must have made the last of them final. The reminder's
 * `delivery_events` row is locked first, so of two transactions finishing its last deliveries the
 * second counts after the first commits: exactly one reports, and marks the row reported. Returns
 * whether it reported. `removed` is the reminder when its caller just deleted a channel with a
 * delivery of it: the reminder is then reported even with no delivery left.
 */
export async function reportReminderIfFinished(
  trx: Knex.Transaction,
  eventId: string,
  removed?: Event<'reminder.due'>,
): Promise<boolean> {
  const { rows: tracked } = (await trx.raw(
    'SELECT reported_at FROM delivery_events WHERE event_id = ? FOR UPDATE',
    [eventId],
  )) as { rows: { reported_at: Date | null }[] };
  if (tracked.length === 0 || tracked[0]!.reported_at) return false;
  const { rows } = (await trx.raw(
    `SELECT d.channel_id, c.kind, d.status, d.attempts, d.last_status_code, d.finished_at, d.event
     FROM deliveries d JOIN notification_channels c ON c.id = d.channel_id
     WHERE d.event_id = ?
     ORDER BY d.created_at, d.id`,
    [eventId],
  )) as { rows: (Omit<FinishedRow, 'status'> & { status: string })[] };
  if (rows.length === 0 && !removed) return false;
  if (rows.some((row) => row.status === 'pending' || row.status === 'sending')) return false;
  const finished = rows as FinishedRow[];
  const due = finished[0]?.event ?? removed!;
  const delivered = finished
    .filter((row) => row.status === 'delivered')
    .map((row) => row.finished_at.getTime());
  await appendToOutbox(trx, [
    newEvent('reminder.sent', due.userId, due.taskId, {
      remindAt: due.payload.remindAt,
      dueEventId: due.id,
      deliveredAt: delivered.length > 0 ? new Date(Math.min(...delivered)).toISOString() : null,
      channels: finished.map((row) => ({
        channelId: row.channel_id,
        kind: row.kind,
        outcome: row.status,
        attempts: row.attempts,
        statusCode: row.last_status_code,
        finishedAt: row.finished_at.toISOString(),
      })),
    }),
  ]);
  await trx('delivery_events').where({ event_id: eventId }).update({ reported_at: trx.fn.now() });
  return true;
}
