import type { Knex } from 'knex';
import type { Event } from '../model/events/contracts.ts';
import { newEvent } from '../model/events/new-event.ts';
import { appendToOutbox } from '../outbox/append.ts';

// Which enabled channels of the event's user want an event of type `?`: a reminder goes to every
// push channel and every confirmed email address; webhooks choose their types.
const WANTS_EVENT = `(
  (c.kind = 'webhook' AND ?::text = ANY (c.event_types))
  OR (?::text = 'reminder.due' AND (c.kind = 'push'
      OR (c.kind = 'email' AND c.email_verified_at IS NOT NULL)))
)`;

/**
 * Creates the deliveries of `events` in the caller's transaction: one per (event, channel that
 * wants it), pending and due at once. The unique (event, channel) key makes a repeated fan-out
 * of the same event a no-op. A `reminder.due` also gets its `delivery_events` row, which the
 * last delivery to finish locks to report the outcome; a reminder no channel wants is reported
 * at once, as a `reminder.sent` with no channels. Returns how many deliveries were created.
 */
export async function fanOutEvents(trx: Knex.Transaction, events: Event[]): Promise<number> {
  let created = 0;
  for (const event of events) {
    const { rows } = (await trx.raw(
      `INSERT INTO deliveries
         (user_id, channel_id, event_id, event_type, task_id, event, status, next_attempt_at)
       SELECT c.user_id, c.id, ?, ?, ?, ?::jsonb, 'pending', now()
       FROM notification_channels c
       WHERE c.user_id = ? AND c.enabled AND ${WANTS_EVENT}
       ON CONFLICT (event_id, channel_id) DO NOTHING
       RETURNING id`,
      [
        event.id,
        event.type,
        event.taskId,
        JSON.stringify(event),
        event.userId,
        event.type,
        event.type,
      ],
    )) as { rows: { id: string }[] };
    created += rows.length;
    if (event.type === 'reminder.due') await trackReminder(trx, event as Event<'reminder.due'>);
  }
  return created;
}

/**
 * Records a reminder's fan-out once; when it has no delivery, it is reported at once (and marked
 * so, so a second fan-out of the same event reports nothing).
 */
async function trackReminder(trx: Knex.Transaction, event: Event<'reminder.due'>): Promise<void> {
  const { rows } = (await trx.raw(
    `INSERT INTO delivery_events (event_id, user_id, reported_at)
     SELECT ?, ?, CASE WHEN EXISTS (SELECT 1 FROM deliveries WHERE event_id = ?)
                  THEN NULL ELSE now() END
     ON CONFLICT (event_id) DO NOTHING
     RETURNING reported_at`,
    [event.id, event.userId, event.id],
  )) as { rows: { reported_at: Date | null }[] };
  if (!rows[0]?.reported_at) return;
  await appendToOutbox(trx, [
    newEvent('reminder.sent', event.userId, event.taskId, {
      remindAt: event.payload.remindAt,
      dueEventId: event.id,
      deliveredAt: null,
      channels: [],
    }),
  ]);
}
