import type { Knex } from 'knex';

type Waker = () => void;

/** A transaction as knex hands it to its callback: its outer one, and when it ends. */
interface Transactor {
  isTransaction?: boolean;
  parentTransaction?: Transactor;
  executionPromise?: Promise<unknown>;
}

// Keyed by the client's configuration, which a database's pool and all its transactions share.
const wakersOf = new WeakMap<object, Set<Waker>>();

const keyOf = (db: Knex): object => db.client.config as object;

/**
 * Calls `waker` after every commit through `knex` (in this process) that appended events to the
 * outbox. Returns a function that stops calling it.
 */
export function onOutboxCommit(knex: Knex, waker: Waker): () => void {
  const key = keyOf(knex);
  const wakers = wakersOf.get(key) ?? new Set<Waker>();
  wakersOf.set(key, wakers);
  wakers.add(waker);
  return () => wakers.delete(waker);
}

/**
 * Tells the wakers of `db`'s database once the events just appended through `db` are visible:
 * when the outermost transaction commits (never if it rolls back), or at once outside one.
 */
export function wakeAfterCommit(db: Knex): void {
  const wakers = wakersOf.get(keyOf(db));
  if (!wakers?.size) return;
  const wake = () => wakers.forEach((waker) => waker());
  let trx = db as unknown as Transactor;
  if (!trx.isTransaction) return queueMicrotask(wake);
  while (trx.parentTransaction) trx = trx.parentTransaction;
  trx.executionPromise?.then(wake, () => undefined);
}
