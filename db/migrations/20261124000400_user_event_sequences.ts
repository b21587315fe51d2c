import type { Knex } from 'knex';

/**
 * A per-user sequence of task events, assigned in commit order: the write that takes the next
 * number holds the user's counter row until it commits, so a later number always belongs to a
 * later commit. Live subscribers read and resume by it without gaps.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE user_event_sequences (
      user_id text PRIMARY KEY,
      last_seq bigint NOT NULL CHECK (last_seq > 0)
    );
    ALTER TABLE outbox ADD COLUMN user_seq bigint;
    CREATE UNIQUE INDEX outbox_user_seq_idx ON outbox (user_id, user_seq)
      WHERE user_seq IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX outbox_user_seq_idx;
    ALTER TABLE outbox DROP COLUMN user_seq;
    DROP TABLE user_event_sequences;
  `);
}
