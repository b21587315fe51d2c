import type { Knex } from 'knex';
import { backoffMs } from '../lib/backoff.ts';

/** How often a write is tried in all when the database aborts it to break a lock conflict. */
export const WRITE_ATTEMPTS = 4;

// deadlock_detected, serialization_failure, lock_not_available (NOWAIT)
const CONFLICT_CODES = new Set(['40P01', '40001', '55P03']);

const isConflict = (error: unknown) =>
  CONFLICT_CODES.has((error as { code?: unknown } | undefined)?.code as string);

/**
 * Runs a write: `work` in a transaction of `db`, retried a bounded number of times when the
 * database aborts it to break a deadlock or a serialization conflict, or when a `NOWAIT` lock is
 * busy. The whole transaction was rolled back, so running it again is safe, and the caller sees
 * its result instead of the conflict. Inside a caller's transaction it is a savepoint and is not
 * retried, as the conflict aborted the caller's locks too: the outermost transaction retries.
 *
 * **The lock order.** Every writer, API command or consumer, takes its locks in this one order,
 * so that no two writers wait for each other in a circle:
 *
 * 1. Task rows, `FOR UPDATE`, in id order (`lockTasks`); a command on one task locks it first.
 *    A writer that changes several tasks, such as a consumer applying a batch, locks all of them
 *    before anything else. Rows the transaction inserts are invisible to others and need no
 *    place in the order.
 * 2. Category and tag rows: `FOR KEY SHARE`, taken by the database's foreign-key check when a
 *    task or a task's tag comes to point at one, or `FOR UPDATE` when one is deleted
 *    (`lockLabel`), after the tasks carrying it.
 * 3. The per-user advisory lock of a label count limit, taken by the database when a category
 *    or tag is inserted, in a transaction that locks no task.
 *
 * A row that can only be found once a later lock is held (a task that came to carry a label
 * while its deletion waited for the label) is locked `NOWAIT`: never waiting, it cannot close a
 * circle, and when it is busy the transaction starts again. Rows claimed with `SKIP LOCKED`
 * (due reminders) never wait either, and inserts into the outbox and the inbox wait for no one.
 */
export async function writeTransaction<T>(
  db: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return db.transaction(work);
  return retryConflicts(() => db.transaction(work));
}

/**
 * Runs a write that is one statement, or a transaction of its own, again (as writeTransaction
 * does) when the database aborted it to break a lock conflict. Inside a caller's transaction
 * (`db.isTransaction`) it runs once: the outermost transaction retries.
 */
export async function writeStatement<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  return db.isTransaction ? work() : retryConflicts(work);
}

async function retryConflicts<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConflict(error) || attempt >= WRITE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 20, 200)));
    }
  }
}
