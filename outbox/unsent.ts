import type { Knex } from 'knex';

/**
 * The outbox rows not sent yet: unclaimed, or in a batch the broker has not acknowledged in full.
 * Each half is read through its own index. Select from it like a table, e.g.
 * `unsentRows(knex).where('user_id', id)`.
 */
export function unsentRows(db: Knex): Knex.QueryBuilder {
  const unacked = db('outbox_batches').whereNull('acked_at').select('batch');
  return db
    .from(
      db('outbox')
        .whereNull('relay_batch')
        .unionAll(db('outbox').whereIn('relay_batch', unacked), true)
        .as('unsent'),
    )
    .select('unsent.*');
}
