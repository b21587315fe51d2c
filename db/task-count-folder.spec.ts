import { pino } from 'pino';
import { TaskCountFolder } from './task-count-folder.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';

const knex = testKnex();
afterAll(() => knex.destroy());

const deltasOf = async (userId: string) =>
  Number((await knex('task_count_deltas').where('user_id', userId).count({ n: '*' }).first())!.n);

it('folds the deltas writers append, batch after batch, until none is left', async () => {
  const userId = uniqueUserId('folder');
  for (let i = 0; i < 5; i++)
    await knex('tasks').insert({ user_id: userId, title: `t${i}`, priority: 'high' });
  expect(await deltasOf(userId)).toBe(5);
  // A batch of 2 leaves deltas after each fold; a long interval would leave them for a minute,
  // so only the full batches' "at once again" can fold them all in time.
  const folder = new TaskCountFolder({
    knex,
    logger: pino({ level: 'silent' }),
    intervalMs: 60_000,
    batchSize: 2,
  });
  folder.start();
  try {
    const deadline = Date.now() + 10_000;
    while ((await deltasOf(userId)) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await folder.stop();
  }
  expect(await deltasOf(userId)).toBe(0);
  expect(await knex('task_counts').where('user_id', userId).select('priority', 'n')).toEqual([
    { priority: 'high', n: 5 },
  ]);
});
