import type { Knex } from 'knex';
import type { HandledRefusal } from './dead-letter.ts';

/**
 * Records what the relay is done with, in one transaction: why each refused row never reached its
 * topic, and, when `batch` is given, that the broker took every row of that batch (its rows are
 * sent from then on). Nothing else about the rows is rewritten. A batch with no refusals is one
 * statement, without a transaction around it.
 */
export async function markBatchSent(
  knex: Knex,
  batch: number | undefined,
  refused: HandledRefusal[],
): Promise<void> {
  if (refused.length === 0) {
    if (batch !== undefined) await markAcked(knex, batch);
    return;
  }
  await knex.transaction(async (trx) => {
    for (const { row, reason } of refused) {
      await trx('outbox')
        .where('id', row.id)
        .update({ failed_at: trx.fn.now(), failure_reason: reason });
    }
    if (batch !== undefined) await markAcked(trx, batch);
  });
}

const markAcked = (db: Knex, batch: number) =>
  db('outbox_batches').where({ batch }).update({ acked_at: db.fn.now() });
