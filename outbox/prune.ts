import type { Knex } from 'knex';

/** How long sent events stay in the outbox: as long as `task-events` keeps them (7 days). */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/** Deletes outbox rows sent more than `retentionMs` ago; returns how many. */
export function pruneSentEvents(knex: Knex, retentionMs = OUTBOX_RETENTION_MS): Promise<number> {
  return knex('outbox')
    .whereNotNull('sent_at')
    .where('sent_at', '<', new Date(Date.now() - retentionMs))
    .delete();
}
