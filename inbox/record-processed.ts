import type { Knex } from 'knex';

/**
 * Records that `group` processed each of `eventIds`, in the caller's transaction and in one
 * statement; resolves to the ids recorded now, leaving out those the group had already
 * processed (events delivered again). An id given twice is recorded, and returned, once.
 */
export async function recordProcessedEvents(
  trx: Knex,
  group: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await trx.raw<{ rows: { event_id: string }[] }>(
    `INSERT INTO processed_events (consumer_group, event_id)
     SELECT ?, unnest(?::uuid[])
     ON CONFLICT (consumer_group, event_id) DO NOTHING
     RETURNING event_id`,
    [group, [...eventIds]],
  );
  // PostgreSQL spells a uuid in lowercase; the caller gets its ids as it spelled them.
  const recorded = new Set(rows.map((row) => row.event_id));
  return new Set(eventIds.filter((id) => recorded.has(id.toLowerCase())));
}

/**
 * Records that `group` processed `eventId`, in the caller's transaction; resolves to false when
 * the group had already processed it (the event was delivered again), true the first time.
 */
export async function recordProcessed(trx: Knex, group: string, eventId: string): Promise<boolean> {
  return (await recordProcessedEvents(trx, group, [eventId])).size > 0;
}
