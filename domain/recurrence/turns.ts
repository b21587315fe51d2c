import { setImmediate } from 'node:timers/promises';

let last: Promise<unknown> = Promise.resolve();

/**
 * Runs `work`, a synchronous computation of bounded length, in an event-loop turn of its own
 * after those queued before it, so that I/O (other requests, `/health`) is served between two
 * of them. GraphQL resolves the aliases of a query one after the other without waiting: without
 * this, a query of many such computations holds the event loop for all of them at once.
 */
export function inTurn<T>(work: () => T): Promise<T> {
  // setImmediate in a callback of the check phase runs in the next loop, after polling for I/O.
  const turn = last.then(async () => {
    await setImmediate();
    return work();
  });
  last = turn.catch(() => undefined);
  return turn;
}
