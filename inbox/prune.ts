import type { Knex } from 'knex';

const DAY_MS = 24 * 3_600_000;

/**
 * How long a processed event id is remembered by default: longer than the topics keep their
 * messages by default (7 days), so a message can no longer be redelivered once its id is
 * forgotten. With other topic retentions, use {@link inboxRetentionFor}.
 */
export const PROCESSED_RETENTION_MS = 14 * DAY_MS;

/**
 * How long processed event ids must be kept when the topics a group reads keep their messages
 * `topicRetentionsMs`: a day longer than the longest of them (and never less than the default),
 * so an offset reset can never apply an event twice.
 */
export function inboxRetentionFor(topicRetentionsMs: number[]): number {
  return Math.max(PROCESSED_RETENTION_MS, ...topicRetentionsMs.map((ms) => ms + DAY_MS));
}

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
