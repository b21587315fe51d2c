import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { newEvent } from '../../model/events/new-event.ts';
import { snapshotOf } from '../../model/events/task-snapshot.ts';
import { insertedTask } from '../../db/task-rows.ts';
import { appendToOutbox } from '../../outbox/append.ts';

const PER_TRANSACTION = 1_000;
const CONCURRENT = 4;

/** A task.created event for a task that only the event describes. */
function createdEvent(userId: string, title: string) {
  const task = insertedTask({ id: randomUUID(), userId, title }, new Date());
  return newEvent('task.created', userId, task.id, { task: snapshotOf(task, []) });
}

/**
 * Commits `count` task.created events into the outbox through the product's appendToOutbox,
 * 1,000 per transaction, spread over `userIds`; resolves with their event ids. Only the outbox is
 * written (no task rows): what the relay and the consumers read is the same.
 */
export async function writeBacklog(
  knex: Knex,
  count: number,
  userIds: string[],
  label: string,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < count) {
        const size = Math.min(PER_TRANSACTION, count - next);
        const events = Array.from({ length: size }, (_, i) =>
          createdEvent(userIds[(next + i) % userIds.length]!, `${label} ${next + i}`),
        );
        next += size;
        await knex.transaction((trx) => appendToOutbox(trx, events));
        ids.push(...events.map((event) => event.id));
      }
    }),
  );
  return ids;
}
