import type { Knex } from 'knex';
import { portOwner } from './sockets.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The relay process (among `pids`) that holds the publishing turn, seen from outside: the one
 * whose PostgreSQL session holds an advisory lock (a session lock held for the turn, or a
 * transaction lock held for one batch, whichever the relay uses), found through the session's
 * client port. Polls every 2 ms for up to `timeoutMs`; undefined if none was seen.
 */
export async function publishingRelay(
  knex: Knex,
  pids: number[],
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await knex.raw<{ rows: { port: number }[] }>(
      `SELECT a.client_port AS port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.client_port > 0`,
    );
    for (const { port } of rows) {
      const pid = await portOwner(port, pids);
      if (pid !== undefined) return pid;
    }
    await sleep(2);
  }
  return undefined;
}
