import type { Knex } from 'knex';
import type { Event } from '../../model/events/contracts.ts';
import { newEvent } from '../../model/events/new-event.ts';
import { snapshotOf } from '../../model/events/task-snapshot.ts';
import { appendToOutbox } from '../../outbox/append.ts';
import { QUALIFIED_TASK_COLUMNS, toTask, type TaskRow } from '../../db/task-rows.ts';
import { tagIdsOfTasks } from '../../db/task-tag-rows.ts';

/** A reminder sent more than this long after its time is marked late. */
export const LATE_AFTER_MS = 5_000;

/** The reminders a claim sent, as the `reminder.due` events it wrote to the outbox. */
export type ReminderDue = Event<'reminder.due'>;

/** How many reminders one claim takes, and when a reminder counts as late. */
export interface ClaimOptions {
  limit?: number;
  lateAfterMs?: number;
}

// Each condition repeats the predicate of tasks_pending_reminder_idx, so both queries read it.
const PENDING = 'remind_at IS NOT NULL AND reminder_sent_at IS NULL AND NOT completed';

/**
 * Claims up to `limit` due reminders of all users, earliest first, in one transaction: marks
 * them sent and writes one `reminder.due` event per task to the outbox, so a reminder is sent if
 * and only if its claim commits. Rows another replica holds are skipped (`SKIP LOCKED`), so no
 * two replicas ever claim the same reminder. Deleted tasks are gone and completed ones excluded,
 * so they never remind. Marking a reminder sent keeps the task's version and `updated_at` (see
 * migration 20261129000800): the `reminder.due` event is its record, and no task event is due.
 */
export async function claimDueReminders(
  knex: Knex,
  { limit = 100, lateAfterMs = LATE_AFTER_MS }: ClaimOptions = {},
): Promise<ReminderDue[]> {
  return knex.transaction(async (trx) => {
    const { rows } = (await trx.raw(
      `WITH due AS (
         SELECT id FROM tasks
         WHERE ${PENDING} AND remind_at <= now()
         ORDER BY remind_at
         LIMIT ?
         FOR UPDATE SKIP LOCKED
       )
       UPDATE tasks SET reminder_sent_at = now()
       FROM due WHERE tasks.id = due.id
       RETURNING ${QUALIFIED_TASK_COLUMNS}`,
      [limit],
    )) as { rows: TaskRow[] };
    if (rows.length === 0) return [];
    const tagIds = await tagIdsOfTasks(
      trx,
      'any user',
      rows.map((row) => row.id),
    );
    const events = rows.map((row) => {
      const task = toTask(row);
      const remindAt = task.remindAt!;
      const firedAt = task.reminderSentAt!;
      return newEvent(
        'reminder.due',
        task.userId,
        task.id,
        {
          task: snapshotOf(task, tagIds.get(task.id) ?? []),
          remindAt: remindAt.toISOString(),
          dueAt: task.dueAt?.toISOString() ?? null,
          firedAt: firedAt.toISOString(),
          late: firedAt.getTime() - remindAt.getTime() > lateAfterMs,
        },
        firedAt,
      );
    });
    await appendToOutbox(trx, events);
    return events;
  });
}

/** The earliest pending reminder, and how long until it is due by the database's clock. */
export interface NextReminder {
  remindAt: Date;
  /** Milliseconds until `remindAt`; zero or less when it is already due. */
  inMs: number;
}

/**
 * The next reminder still to send, read from the partial index on pending reminders; undefined
 * when there is none. The wait is measured by the database's clock, the one claims compare with,
 * so a scheduler on a host whose clock drifts still wakes when the reminder is due.
 */
export async function nextPendingReminder(knex: Knex): Promise<NextReminder | undefined> {
  const { rows } = (await knex.raw(
    `SELECT next_at, (EXTRACT(EPOCH FROM next_at - clock_timestamp()) * 1000)::float8 AS in_ms
     FROM (SELECT min(remind_at) AS next_at FROM tasks WHERE ${PENDING}) AS pending`,
  )) as { rows: { next_at: Date | null; in_ms: number | null }[] };
  const [row] = rows;
  if (!row?.next_at || row.in_ms === null) return undefined;
  return { remindAt: row.next_at, inMs: row.in_ms };
}
