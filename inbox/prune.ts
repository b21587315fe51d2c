import type { Knex } from 'knex';

/**
 * How long a processed event id is remembered: longer than any topic keeps its messages (7 days
 * by default), so a message can no longer be redelivered once its id is forgotten.
 */
export const PROCESSED_RETENTION_MS = 14 * 24 * 3_600_000;

/** Forgets the group's processed event ids older than `retentionMs`; returns how many. */
export function pruneProcessedEvents(
  knex: Knex,
  group: string,
  retentionMs = PROCESSED_RETENTION_MS,
): Promise<number> {
  return knex('processed_events')
    .where({ consumer_group: group })
    .where('processed_at', '<', new Date(Date.now() - retentionMs))
    .delete();
}
