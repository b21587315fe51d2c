import type { Knex } from 'knex';

/**
 * Records that `group` processed `eventId`, in the caller's transaction; resolves to false when
 * the group had already processed it (the event was delivered again), true the first time.
 */
export async function recordProcessed(trx: Knex, group: string, eventId: string): Promise<boolean> {
  const claimed = await trx('processed_events')
    .insert({ consumer_group: group, event_id: eventId })
    .onConflict(['consumer_group', 'event_id'])
    .ignore()
    .returning('event_id');
  return claimed.length > 0;
}
