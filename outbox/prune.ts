import type { Knex } from 'knex';

/** How long sent events stay in the outbox: as long as `task-events` keeps them (7 days). */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Deletes the rows of batches claimed more than `retentionMs` ago that the broker acknowledged,
 * and those batches; returns how many rows. Rows never sent stay, however old.
 */
export async function pruneSentEvents(
  knex: Knex,
  retentionMs = OUTBOX_RETENTION_MS,
): Promise<number> {
  const cutoff = new Date(Date.now() - retentionMs);
  const old = () =>
    knex('outbox_batches')
      .where('claimed_at', '<', cutoff)
      .whereNotNull('acked_at')
      .select('batch');
  return knex.transaction(async (trx) => {
    const rows = await trx('outbox').whereIn('relay_batch', old()).delete();
    await trx('outbox_batches').whereIn('batch', old()).delete();
    return rows;
  });
}
