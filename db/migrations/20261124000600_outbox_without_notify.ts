import type { Knex } from 'knex';

/**
 * Writers no longer NOTIFY inside their transactions: PostgreSQL takes one database-wide lock at
 * the commit of every transaction that notified, held through the commit's fsync, so the trigger
 * made all writers commit one at a time. Relays are woken after the commit instead (in process,
 * or by a NOTIFY of its own from the writing process; see outbox/notify-relays.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER outbox_notify ON outbox;
    DROP FUNCTION notify_outbox();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('outbox_rows', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();
  `);
}
