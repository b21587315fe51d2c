import { newEvent } from '../model/events/new-event.ts';
import { sampleSnapshot } from '../test/events.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';
import { appendToOutbox } from './append.ts';
import { lastUserSeq, userEventsAfter } from './user-events.ts';

const knex = testKnex();
afterAll(() => knex.destroy());

const created = (userId: string) => {
  const task = sampleSnapshot();
  return newEvent('task.created', userId, task.id, { task });
};

it("numbers a user's task events in commit order: a later number never commits first", async () => {
  const userId = uniqueUserId('seq');
  const order: string[] = [];
  let releaseFirst!: () => void;
  const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstNumbered!: () => void;
  const numbered = new Promise<void>((resolve) => (firstNumbered = resolve));

  const first = knex.transaction(async (trx) => {
    await appendToOutbox(trx, [created(userId)]);
    firstNumbered();
    await firstMayCommit;
    order.push('first commits');
  });
  await numbered;
  const second = knex.transaction(async (trx) => {
    await appendToOutbox(trx, [created(userId), created(userId)]);
    order.push('second numbered');
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(order).toEqual([]); // the second waits for the first's counter row
  releaseFirst();
  await Promise.all([first, second]);
  expect(order).toEqual(['first commits', 'second numbered']);

  expect(await lastUserSeq(knex, userId)).toBe(3);
  const rows = await userEventsAfter(knex, userId, 0, 10);
  expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
  expect(await userEventsAfter(knex, userId, 1, 10)).toHaveLength(2);
});

it('leaves reminders and recurrence events out of the sequence, and rolls numbers back with their write', async () => {
  const userId = uniqueUserId('seq');
  const task = sampleSnapshot();
  const now = new Date().toISOString();
  await knex.transaction((trx) =>
    appendToOutbox(trx, [
      newEvent('reminder.due', userId, task.id, {
        task,
        remindAt: now,
        dueAt: null,
        firedAt: now,
        late: false,
      }),
    ]),
  );
  expect(await lastUserSeq(knex, userId)).toBe(0);
  await knex
    .transaction(async (trx) => {
      await appendToOutbox(trx, [created(userId)]);
      throw new Error('rolled back');
    })
    .catch(() => undefined);
  expect(await lastUserSeq(knex, userId)).toBe(0);
  await knex.transaction((trx) => appendToOutbox(trx, [created(userId)]));
  expect((await userEventsAfter(knex, userId, 0, 10)).map((row) => row.seq)).toEqual([1]);
});
