import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';
import { onOutboxCommit } from './wake-after-commit.ts';

/** The channel relays in other processes LISTEN on (see relay.ts). */
export const OUTBOX_CHANNEL = 'outbox_rows';

/**
 * Wakes the relays of other processes after this process commits outbox events: a NOTIFY of its
 * own, sent after the writer's commit rather than inside it. PostgreSQL serializes the commits of
 * transactions that notified (a database-wide lock held through the commit's fsync), so a NOTIFY
 * inside every write would make all writers commit one at a time. Coalesced: at most one NOTIFY
 * is in flight, and commits meanwhile are covered by one more. It goes over a connection of its
 * own, not the pool, so a pool busy with requests does not delay the relay's wake-up. Returns a
 * function that stops.
 */
export function notifyRelaysAfterCommit(knex: Knex, logger: Logger): () => void {
  let inFlight = false;
  let pending = false;
  let stopped = false;
  let client: Promise<pg.Client> | undefined;
  const connect = (): Promise<pg.Client> => {
    client ??= (async () => {
      const settings = (knex.client as { connectionSettings: pg.ClientConfig }).connectionSettings;
      const connection = new pg.Client({ ...settings, keepAlive: true });
      const forget = () => {
        client = undefined;
        void connection.end().catch(() => undefined);
      };
      connection.on('error', forget);
      connection.on('end', forget);
      try {
        await connection.connect();
      } catch (error) {
        forget();
        throw error;
      }
      return connection;
    })();
    return client;
  };
  const send = async (): Promise<void> => {
    inFlight = true;
    do {
      pending = false;
      try {
        await (await connect()).query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
      } catch (error) {
        logger.warn({ err: error }, 'could not notify the outbox relay; it will poll');
      }
    } while (pending && !stopped);
    inFlight = false;
  };
  const unsubscribe = onOutboxCommit(knex, () => {
    if (stopped) return;
    if (inFlight) pending = true;
    else void send();
  });
  return () => {
    stopped = true;
    unsubscribe();
    void client?.then((connection) => connection.end()).catch(() => undefined);
  };
}
