import type { Knex } from 'knex';

/**
 * Why an outbox row never reached its topic: the broker refused it (too large, invalid) and the
 * relay dead-lettered it, or could not even do that. Such a row also gets `sent_at`, the mark of
 * a row the relay is done with, so it leaves the backlog and is pruned like the others.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE outbox ADD COLUMN failed_at timestamptz, ADD COLUMN failure_reason text;
    CREATE INDEX outbox_failed_at_idx ON outbox (failed_at) WHERE failed_at IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX outbox_failed_at_idx;
    ALTER TABLE outbox DROP COLUMN failure_reason, DROP COLUMN failed_at;
  `);
}
