import type { Knex } from 'knex';

/**
 * The transactional outbox (events written in the same transaction as the change they
 * describe, relayed to Kafka afterwards; each insert wakes the relay with a NOTIFY at commit)
 * and the processed-events ledger that makes every consumer idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id uuid NOT NULL CONSTRAINT outbox_event_id_unique UNIQUE,
      topic text NOT NULL,
      message_key text NOT NULL,
      event_type text NOT NULL,
      user_id text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      sent_at timestamptz
    );
    CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
    CREATE INDEX outbox_sent_at_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
    CREATE INDEX outbox_user_idx ON outbox (user_id, id);

    CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('outbox_rows', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();

    CREATE TABLE processed_events (
      consumer_group text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT processed_events_pkey PRIMARY KEY (consumer_group, event_id)
    );
    CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE processed_events;
    DROP TABLE outbox;
    DROP FUNCTION notify_outbox();
  `);
}
