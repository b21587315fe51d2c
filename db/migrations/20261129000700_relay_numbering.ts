import type { Knex } from 'knex';

/**
 * The relay numbers and claims events; writers only insert. A claim is one relay batch
 * (`outbox_batches`): the relay that holds the publishing turn takes the oldest unclaimed rows,
 * gives each task event its user's next number (`user_event_sequences`, now written by that relay
 * alone) and stamps the batch on them, in one statement, before publishing. The batch is acked
 * once the broker has taken every row of it: a row is sent when its batch is acked, so marking a
 * batch sent writes one small row instead of rewriting every event. Writers no longer lock their
 * user's counter row, and the `(user_id, id)` index nothing reads any more is dropped.
 *
 * The publishing turn is a lease in `outbox_relay_turn` (one row): its holder renews it with each
 * claim, and a claim by anyone else finds nothing. A lease works through a transaction-mode
 * pooler and on the embedded database, where session advisory locks do not.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE outbox_batches (
      batch bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      acked_at timestamptz
    );
    CREATE INDEX outbox_batches_unacked_idx ON outbox_batches (batch) WHERE acked_at IS NULL;
    CREATE INDEX outbox_batches_claimed_at_idx ON outbox_batches (claimed_at);

    CREATE TABLE outbox_relay_turn (
      turn boolean PRIMARY KEY DEFAULT true CHECK (turn),
      holder text,
      expires_at timestamptz NOT NULL DEFAULT '-infinity'
    );
    INSERT INTO outbox_relay_turn DEFAULT VALUES;

    ALTER TABLE outbox ADD COLUMN relay_batch bigint;
    WITH sent AS (
      INSERT INTO outbox_batches (claimed_at, acked_at)
      SELECT max(sent_at), max(sent_at) FROM outbox HAVING count(sent_at) > 0
      RETURNING batch
    )
    UPDATE outbox SET relay_batch = (SELECT batch FROM sent) WHERE sent_at IS NOT NULL;

    DROP INDEX outbox_unsent_idx;
    DROP INDEX outbox_sent_at_idx;
    DROP INDEX outbox_user_idx;
    ALTER TABLE outbox DROP COLUMN sent_at;
    CREATE INDEX outbox_unclaimed_idx ON outbox (id) WHERE relay_batch IS NULL;
    CREATE INDEX outbox_relay_batch_idx ON outbox (relay_batch) WHERE relay_batch IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE outbox ADD COLUMN sent_at timestamptz;
    UPDATE outbox o SET sent_at = b.acked_at
      FROM outbox_batches b WHERE b.batch = o.relay_batch AND b.acked_at IS NOT NULL;
    DROP INDEX outbox_relay_batch_idx;
    DROP INDEX outbox_unclaimed_idx;
    ALTER TABLE outbox DROP COLUMN relay_batch;
    DROP TABLE outbox_batches;
    DROP TABLE outbox_relay_turn;
    CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
    CREATE INDEX outbox_sent_at_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
    CREATE INDEX outbox_user_idx ON outbox (user_id, id);
  `);
}
