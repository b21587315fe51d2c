import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';
import { onOutboxCommit } from './wake-after-commit.ts';

/** The channel relays in other processes LISTEN on (see relay.ts). */
export const OUTBOX_CHANNEL = 'outbox_rows';

/**
 * Wakes the relays of other processes after this process commits outbox events: a NOTIFY of its
 * own, sent after the writer's commit rather than inside it. PostgreSQL serializes the commits of
 * transactions that notified (a database-wide lock held through the commit's fsync), so a NOTIFY
 * inside every write would make all writers commit one at a time. Coalesced: at most one NOTIFY
 * is in flight, and commits meanwhile are covered by one more. Returns a function that stops.
 */
export function notifyRelaysAfterCommit(knex: Knex, logger: Logger): () => void {
  let inFlight = false;
  let pending = false;
  const send = async (): Promise<void> => {
    inFlight = true;
    do {
      pending = false;
      await knex
        .raw('SELECT pg_notify(?, ?)', [OUTBOX_CHANNEL, ''])
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'could not notify the outbox relay; it will poll'),
        );
    } while (pending);
    inFlight = false;
  };
  return onOutboxCommit(knex, () => {
    if (inFlight) pending = true;
    else void send();
  });
}
