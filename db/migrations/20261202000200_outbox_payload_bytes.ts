import type { Knex } from 'knex';

/**
 * The size of each outbox event as its writer serialized it, so the relay can bound a claim by
 * bytes without converting every payload to text first. Rows written before have none; the
 * relay counts their stored size instead.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE outbox ADD COLUMN payload_bytes integer');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE outbox DROP COLUMN payload_bytes');
}
