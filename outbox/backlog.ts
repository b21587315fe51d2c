import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';
import { metrics } from '../lib/metrics.ts';
import { unsentRows } from './unsent.ts';

/**
 * Keeps the outbox backlog metrics current: unsent rows and the age of the oldest, read every
 * `intervalMs` through the indexes of unclaimed rows and unacknowledged batches. Returns a
 * function that stops it.
 */
export function watchOutboxBacklog(knex: Knex, logger: Logger, intervalMs = 5_000): () => void {
  const measure = async () => {
    try {
      const row = await unsentRows(knex)
        .clearSelect()
        .first<{ backlog: string; oldest: Date | null }>(
          knex.raw('count(*) AS backlog'),
          knex.raw('min(created_at) AS oldest'),
        );
      metrics.outboxBacklog.set(Number(row?.backlog ?? 0));
      metrics.outboxOldestUnsentAge.set(
        row?.oldest ? Math.max(0, (Date.now() - new Date(row.oldest).getTime()) / 1000) : 0,
      );
    } catch (error) {
      logger.warn({ err: error }, 'could not measure the outbox backlog');
    }
  };
  void measure();
  const timer = setInterval(() => void measure(), intervalMs).unref();
  return () => clearInterval(timer);
}
