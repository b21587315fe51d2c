import type { Knex } from 'knex';
import type { Event } from '../model/events/contracts.ts';
import { newEvent } from '../model/events/new-event.ts';
import { appendToOutbox } from '../outbox/append.ts';

// Each event of the batch (`e`) with the enabled channels of its user that want it: a reminder
// goes to every push channel and every confirmed email address; webhooks choose their types.
const FAN_OUT = `
INSERT INTO deliveries
  (user_id, channel_id, event_id, event_type, task_id, event, status, next_attempt_at)
SELECT c.user_id, c.id, e.id, e.type, e.task_id, e.event, 'pending', now()
FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::jsonb[], ?::text[])
  WITH ORDINALITY AS e(id, type, task_id, event, user_id, position)
JOIN notification_channels c ON c.user_id = e.user_id AND c.enabled AND (
  (c.kind = 'webhook' AND e.type = ANY (c.event_types))
  OR (e.type = 'reminder.due' AND (c.kind = 'push'
      OR (c.kind = 'email' AND c.email_verified_at IS NOT NULL))))
ORDER BY e.position, c.id
ON CONFLICT (event_id, channel_id) DO NOTHING
RETURNING id`;

/**
 * Creates the deliveries of `events` in the caller's transaction, in one statement for the whole
 * batch: one per (event, channel that wants it), pending and due at once. Rows go in in one order
 * (event, then channel), so two fan-outs of overlapping batches wait on each other's unique keys
 * in the same order instead of deadlocking. The unique (event, channel) key makes a repeated
 * fan-out of the same event a no-op. A
 * `reminder.due` also gets its `delivery_events` row, which the last delivery to finish locks to
 * report the outcome; a reminder no channel wants is reported at once, as a `reminder.sent` with
 * no channels. Returns how many deliveries were created.
 */
export async function fanOutEvents(trx: Knex.Transaction, events: Event[]): Promise<number> {
  if (events.length === 0) return 0;
  const { rows } = (await trx.raw(FAN_OUT, [
    events.map((event) => event.id),
    events.map((event) => event.type),
    events.map((event) => event.taskId),
    events.map((event) => JSON.stringify(event)),
    events.map((event) => event.userId),
  ])) as { rows: { id: string }[] };
  for (const event of events)
    if (event.type === 'reminder.due') await trackReminder(trx, event as Event<'reminder.due'>);
  return rows.length;
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
