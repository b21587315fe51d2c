import { pino } from 'pino';
import { newEvent } from '../model/events/new-event.ts';
import { InProcessTransport } from '../messaging/in-process-transport.ts';
import { sampleSnapshot } from '../test/events.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';
import { appendToOutbox } from './append.ts';
import { OutboxRelay } from './relay.ts';
import { lastUserSeq, userEventsAfter } from './user-events.ts';

const knex = testKnex();
const relay = new OutboxRelay({
  knex,
  transport: new InProcessTransport(),
  logger: pino({ level: 'silent' }),
});
afterAll(async () => {
  await relay.stop();
  await knex.destroy();
});

const created = (userId: string) => {
  const task = sampleSnapshot();
  return newEvent('task.created', userId, task.id, { task });
};
const relayAll = async () => {
  while ((await relay.relayBatch()) > 0);
};

it("never makes one user's writers wait for each other, and numbers events as the relay claims them", async () => {
  const userId = uniqueUserId('seq');
  let releaseFirst!: () => void;
  const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstAppended!: () => void;
  const appended = new Promise<void>((resolve) => (firstAppended = resolve));
  const [first] = [created(userId)];
  const second = [created(userId), created(userId)];

  const firstWrite = knex.transaction(async (trx) => {
    await appendToOutbox(trx, [first!]);
    firstAppended();
    await firstMayCommit;
  });
  await appended;
  // The second write commits while the first is still open: nothing of the user's is locked.
  await knex.transaction((trx) => appendToOutbox(trx, second));
  await relayAll();
  expect(await lastUserSeq(knex, userId)).toBe(2);
  releaseFirst();
  await firstWrite;
  await relayAll();

  expect(await lastUserSeq(knex, userId)).toBe(3);
  const rows = await userEventsAfter(knex, userId, 0, 10);
  expect(rows.map((row) => [row.seq, row.event?.id])).toEqual([
    [1, second[0]!.id],
    [2, second[1]!.id],
    [3, first!.id],
  ]);
  expect(await userEventsAfter(knex, userId, 1, 10)).toHaveLength(2);
});

it('leaves reminders out of the sequence, and gives rolled back writes no number', async () => {
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
  await relayAll();
  expect(await lastUserSeq(knex, userId)).toBe(0);
  await knex
    .transaction(async (trx) => {
      await appendToOutbox(trx, [created(userId)]);
      throw new Error('rolled back');
    })
    .catch(() => undefined);
  await knex.transaction((trx) => appendToOutbox(trx, [created(userId)]));
  expect(await userEventsAfter(knex, userId, 0, 10)).toEqual([]); // not claimed yet
  await relayAll();
  expect((await userEventsAfter(knex, userId, 0, 10)).map((row) => row.seq)).toEqual([1]);
});
