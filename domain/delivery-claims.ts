import type { Knex } from 'knex';
import type { ChannelKind } from '../model/channels.ts';
import type { DeliveryJob } from '../model/deliveries.ts';
import type { Event } from '../model/events/contracts.ts';
import { reportReminderIfFinished } from './delivery-report.ts';

/** How many deliveries one claim takes, and how long the claimer holds them. */
export interface ClaimDeliveriesOptions {
  limit: number;
  /** A delivery not recorded within this is taken again by the next claim. */
  leaseMs: number;
}

interface ClaimedRow {
  id: string;
  status: 'sending' | 'cancelled';
  attempts: number;
  event_id: string;
  event_type: string;
  event: Event;
  channel_id: string;
  user_id: string;
  kind: ChannelKind;
  url: string | null;
  push_p256dh: string | null;
  push_auth: string | null;
  webhook_secret: string | null;
  email_address: string | null;
}

// Repeats the predicate of deliveries_due_idx, so claims read it.
const DUE = `d.status IN ('pending', 'sending') AND d.next_attempt_at <= now()`;

/**
 * Takes up to `limit` due deliveries of all users, earliest first: pending ones whose next try
 * is due, and ones being sent whose lease ended (their sender died). Each is marked `sending`
 * with its attempt counted and a lease of `leaseMs`; rows another claimer holds are skipped, so
 * no two claim one delivery at once. A delivery whose channel has been disabled since (or
 * whose email address was replaced by one not yet confirmed) is cancelled instead (and its reminder reported if it was the last). Returns the jobs to send.
 */
export async function claimDueDeliveries(
  knex: Knex,
  { limit, leaseMs }: ClaimDeliveriesOptions,
): Promise<DeliveryJob[]> {
  return knex.transaction(async (trx) => {
    const { rows } = (await trx.raw(
      `WITH due AS (
         -- An email address replaced since the fan-out is not sent to until it is confirmed.
         SELECT d.id, (c.enabled AND (c.kind <> 'email' OR c.email_verified_at IS NOT NULL))
           AS enabled
         FROM deliveries d
         JOIN notification_channels c ON c.id = d.channel_id
         WHERE ${DUE}
         ORDER BY d.next_attempt_at
         LIMIT ?
         FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE deliveries d SET
         status = CASE WHEN due.enabled THEN 'sending' ELSE 'cancelled' END,
         attempts = d.attempts + CASE WHEN due.enabled THEN 1 ELSE 0 END,
         next_attempt_at = CASE WHEN due.enabled
           THEN now() + ? * interval '1 millisecond' END,
         finished_at = CASE WHEN due.enabled THEN NULL ELSE now() END
       FROM due, notification_channels c
       WHERE d.id = due.id AND c.id = d.channel_id
       RETURNING d.id, d.status, d.attempts, d.event_id, d.event_type, d.event, d.channel_id,
         c.user_id, c.kind, c.url, c.push_p256dh, c.push_auth, c.webhook_secret, c.email_address`,
      [limit, leaseMs],
    )) as { rows: ClaimedRow[] };
    const cancelled = rows.filter((row) => row.status === 'cancelled');
    const reminders = new Set(
      cancelled.filter((row) => row.event_type === 'reminder.due').map((row) => row.event_id),
    );
    for (const eventId of reminders) await reportReminderIfFinished(trx, eventId);
    return rows
      .filter((row) => row.status === 'sending')
      .map((row) => ({
        deliveryId: row.id,
        attempt: row.attempts,
        event: row.event,
        channel: {
          id: row.channel_id,
          userId: row.user_id,
          kind: row.kind,
          url: row.url,
          pushP256dh: row.push_p256dh,
          pushAuth: row.push_auth,
          webhookSecret: row.webhook_secret,
          emailAddress: row.email_address,
        },
      }));
  });
}

/**
 * How long until the next delivery is due (a pending try or the end of a lease), by the
 * database's clock; undefined when none is waiting. Zero or less when one is due now.
 */
export async function nextDeliveryInMs(knex: Knex): Promise<number | undefined> {
  const { rows } = (await knex.raw(
    `SELECT (EXTRACT(EPOCH FROM min(next_attempt_at) - clock_timestamp()) * 1000)::float8 AS in_ms
     FROM deliveries WHERE status IN ('pending', 'sending')`,
  )) as { rows: { in_ms: number | null }[] };
  return rows[0]?.in_ms ?? undefined;
}
