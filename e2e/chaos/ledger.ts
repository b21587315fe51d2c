import type { Knex } from 'knex';

/** The event types each consumer group applies (see consumers/). */
export const GROUP_TYPES = {
  notification: ['task.created', 'task.updated', 'task.reopened'],
  recurrence: ['task.completed'],
} as const;

/** What the database says about the run's events, reminders and recurrences. */
export interface Ledger {
  /** Events in the outbox, and how many of them the broker has not acknowledged yet. */
  events: number;
  unpublished: number;
  /** Per consumer group: the events of its types, those it has no inbox row for, rows too many. */
  groups: Record<keyof typeof GROUP_TYPES, { events: number; unapplied: number; extra: number }>;
  /** Reminders whose time has come, those sent, those not sent yet, those sent more than once. */
  remindersDue: number;
  remindersSent: number;
  remindersUnsent: number;
  remindersDuplicated: number;
  /** Completed recurring tasks, those without a next instance, those with more than one. */
  recurringCompleted: number;
  recurrencesMissing: number;
  recurrencesDuplicated: number;
}

/** The outbox rows in no batch, or in one the broker has not acknowledged. */
const UNPUBLISHED = `FROM outbox o LEFT JOIN outbox_batches b ON b.batch = o.relay_batch
  WHERE b.acked_at IS NULL`;

const count = async (knex: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []) =>
  Number(((await knex.raw(sql, bindings)) as { rows: { n: string }[] }).rows[0]!.n);

/**
 * Reads the {@link Ledger} from the database. The inbox's primary key allows one row per event and
 * group, so "applied twice" is looked for in what applying does: a second `reminder.due` for a
 * task, a second next instance (or `task.recurred`) for a completion.
 */
export async function readLedger(knex: Knex): Promise<Ledger> {
  const groups = {} as Ledger['groups'];
  for (const [group, readonlyTypes] of Object.entries(GROUP_TYPES)) {
    const types = [...readonlyTypes];
    groups[group as keyof typeof GROUP_TYPES] = {
      events: await count(knex, `SELECT count(*) AS n FROM outbox WHERE event_type = ANY(?)`, [
        types,
      ]),
      unapplied: await count(
        knex,
        `SELECT count(*) AS n FROM outbox o WHERE o.event_type = ANY(?) AND NOT EXISTS
           (SELECT 1 FROM processed_events p WHERE p.consumer_group = ? AND p.event_id = o.event_id)`,
        [types, group],
      ),
      extra: await count(
        knex,
        `SELECT count(*) AS n FROM processed_events p WHERE p.consumer_group = ? AND NOT EXISTS
           (SELECT 1 FROM outbox o WHERE o.event_id = p.event_id AND o.event_type = ANY(?))`,
        [group, types],
      ),
    };
  }
  return {
    events: await count(knex, `SELECT count(*) AS n FROM outbox`),
    unpublished: await count(knex, `SELECT count(*) AS n ${UNPUBLISHED}`),
    groups,
    remindersDue: await count(
      knex,
      `SELECT count(*) AS n FROM tasks WHERE remind_at <= now() AND NOT completed`,
    ),
    remindersSent: await count(
      knex,
      `SELECT count(DISTINCT message_key) AS n FROM outbox WHERE event_type = 'reminder.due'`,
    ),
    remindersUnsent: await count(
      knex,
      `SELECT count(*) AS n FROM tasks WHERE remind_at <= now() AND NOT completed
       AND reminder_sent_at IS NULL`,
    ),
    remindersDuplicated: await count(
      knex,
      `SELECT count(*) AS n FROM (SELECT message_key FROM outbox WHERE event_type = 'reminder.due'
       GROUP BY message_key HAVING count(*) > 1) AS twice`,
    ),
    recurringCompleted: await count(
      knex,
      `SELECT count(*) AS n FROM tasks WHERE completed AND recurrence_rule IS NOT NULL`,
    ),
    recurrencesMissing: await count(
      knex,
      `SELECT count(*) AS n FROM tasks t WHERE t.completed AND t.recurrence_rule IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM tasks n WHERE n.previous_task_id = t.id)`,
    ),
    recurrencesDuplicated: await count(
      knex,
      `SELECT count(*) AS n FROM (SELECT message_key FROM outbox WHERE event_type = 'task.recurred'
       GROUP BY message_key HAVING count(*) > 1) AS twice`,
    ),
  };
}

/**
 * Up to ten outbox rows the broker has not acknowledged, with their batch (null: never claimed)
 * and when it was claimed: what a failed run's report needs to tell a row no relay claimed from
 * a claimed batch no relay published.
 */
export async function unpublishedSample(knex: Knex): Promise<unknown[]> {
  const { rows } = (await knex.raw(
    `SELECT o.id, o.event_type, o.created_at, o.relay_batch, b.claimed_at ${UNPUBLISHED}
     ORDER BY o.id LIMIT 10`,
  )) as { rows: unknown[] };
  return rows;
}

/** A `reminder.due` event: whose, when it fired, and when the broker acknowledged it. */
export interface FiredReminder {
  id: string;
  userId: string;
  taskId: string;
  firedAt: number;
  ackedAt: number | undefined;
}

/** Every reminder the notification service sent. */
export async function firedReminders(knex: Knex): Promise<FiredReminder[]> {
  const { rows } = (await knex.raw(
    `SELECT o.event_id, o.user_id, o.message_key, o.payload->'payload'->>'firedAt' AS fired_at,
            b.acked_at
     FROM outbox o LEFT JOIN outbox_batches b ON b.batch = o.relay_batch
     WHERE o.event_type = 'reminder.due' ORDER BY o.id`,
  )) as {
    rows: {
      event_id: string;
      user_id: string;
      message_key: string;
      fired_at: string;
      acked_at: Date | null;
    }[];
  };
  return rows.map((row) => ({
    id: row.event_id,
    userId: row.user_id,
    taskId: row.message_key,
    firedAt: Date.parse(row.fired_at),
    ackedAt: row.acked_at?.getTime(),
  }));
}
