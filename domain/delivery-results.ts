import type { Knex } from 'knex';
import type { AttemptOutcome, DeliveryStatus } from '../model/channels.ts';
import type { DeliveryJob } from '../model/deliveries.ts';
import { reportReminderIfFinished } from './delivery-report.ts';

/** What one try came to, as a sender reports it. */
export interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  error?: string;
  durationMs: number;
}

/** When a failed try is tried again, and when a failing channel is given up on. */
export interface RecordOptions {
  /** The wait before retry n after try n; once exhausted, the delivery fails. */
  retryScheduleMs: readonly number[];
  /** A channel failing this long without a success is disabled at its next final failure. */
  disableAfterMs: number;
}

/** What recording a try changed. */
export interface RecordedAttempt {
  /** False when the delivery was no longer this try's to record (its lease was taken over). */
  recorded: boolean;
  /** The delivery's status now. */
  status?: DeliveryStatus;
  /** Why the channel was disabled, when this try disabled it. */
  disabledReason?: string;
}

/**
 * Records one try of a claimed delivery in one transaction: its line in the attempt log; the
 * delivery delivered, pending again on the retry schedule, or failed (the schedule exhausted, a
 * permanent refusal, or the destination gone); the channel's health (`last_success_at`,
 * `failing_since`), disabling it when it is gone or has failed for `disableAfterMs` at a final
 * failure. When the delivery was the last unfinished one of a reminder, `reminder.sent` is
 * written. Only the try that holds the delivery records: a late answer after the lease was
 * taken over (another attempt is in hand) changes nothing.
 */
export async function recordAttempt(
  knex: Knex,
  job: DeliveryJob,
  result: AttemptResult,
  { retryScheduleMs, disableAfterMs }: RecordOptions,
): Promise<RecordedAttempt> {
  const retryInMs = result.outcome === 'retry' ? retryScheduleMs[job.attempt - 1] : undefined;
  const status: DeliveryStatus =
    result.outcome === 'delivered' ? 'delivered' : retryInMs !== undefined ? 'pending' : 'failed';
  return knex.transaction(async (trx) => {
    const updated = await trx('deliveries')
      .where({ id: job.deliveryId, status: 'sending', attempts: job.attempt })
      .update({
        status,
        next_attempt_at:
          status === 'pending'
            ? trx.raw(`clock_timestamp() + ? * interval '1 millisecond'`, [retryInMs ?? 0])
            : null,
        finished_at: status === 'pending' ? null : trx.raw('clock_timestamp()'),
        last_status_code: result.statusCode,
        last_error: result.error ?? null,
        last_duration_ms: Math.round(result.durationMs),
      });
    if (updated === 0) return { recorded: false };
    await trx('delivery_attempts').insert({
      delivery_id: job.deliveryId,
      attempt: job.attempt,
      started_at: trx.raw(`clock_timestamp() - ? * interval '1 millisecond'`, [result.durationMs]),
      duration_ms: Math.round(result.durationMs),
      status_code: result.statusCode,
      error: result.error ?? null,
      outcome: result.outcome,
    });
    const disabledReason = await updateChannelHealth(trx, job.channel.id, status, result, {
      disableAfterMs,
    });
    if (status !== 'pending' && job.event.type === 'reminder.due')
      await reportReminderIfFinished(trx, job.event.id);
    return { recorded: true, status, disabledReason };
  });
}

/** Marks the channel working or failing; returns the reason when this try disabled it. */
async function updateChannelHealth(
  trx: Knex.Transaction,
  channelId: string,
  status: DeliveryStatus,
  result: AttemptResult,
  { disableAfterMs }: Pick<RecordOptions, 'disableAfterMs'>,
): Promise<string | undefined> {
  const channels = trx('notification_channels').where({ id: channelId });
  if (status === 'delivered') {
    await channels.update({ last_success_at: trx.fn.now(), failing_since: null });
    return undefined;
  }
  const { rows } = (await trx.raw(
    `UPDATE notification_channels SET failing_since = COALESCE(failing_since, now())
     WHERE id = ?
     RETURNING enabled, failing_since,
       failing_since <= now() - ? * interval '1 millisecond' AS failing_too_long`,
    [channelId, disableAfterMs],
  )) as { rows: { enabled: boolean; failing_since: Date; failing_too_long: boolean }[] };
  const [channel] = rows;
  if (!channel?.enabled || status === 'pending') return undefined;
  let reason: string | undefined;
  if (result.outcome === 'gone') {
    reason = result.error ?? 'the destination answered that it no longer exists';
  } else if (channel.failing_too_long) {
    reason = `every delivery has failed since ${channel.failing_since.toISOString()}`;
  }
  if (!reason) return undefined;
  await channels.clone().update({
    enabled: false,
    disabled_at: trx.fn.now(),
    disabled_reason: reason,
    updated_at: trx.fn.now(),
  });
  return reason;
}
