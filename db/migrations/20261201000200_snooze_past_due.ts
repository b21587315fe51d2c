import type { Knex } from 'knex';

/**
 * A snoozed reminder may come after the task's due date: "remind me again in ten minutes" is
 * asked most of an overdue task, whose reminder fired at or before its due time. Setting a
 * reminder (setReminder, remindBeforeMinutes) still keeps it at or before the due date; that
 * rule lives in the model (model/reminders.ts) now, not in a constraint.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE tasks DROP CONSTRAINT tasks_remind_before_due');
}

export async function down(knex: Knex): Promise<void> {
  // NOT VALID: rows snoozed past their due date meanwhile stay; new writes are checked again.
  await knex.raw(`ALTER TABLE tasks ADD CONSTRAINT tasks_remind_before_due
    CHECK (remind_at IS NULL OR due_at IS NULL OR remind_at <= due_at) NOT VALID`);
}
