import type { Knex } from 'knex';
import { createKnex } from './knex.ts';
import { countTasksByLabel } from './label-rows.ts';
import { migrateDown, migrateLatest } from './migrate.ts';
import { foldTaskCounts, maintainedCount } from './task-counts.ts';
import type { TaskFilter } from '../model/task-list.ts';
import { requireTestEnv, testKnex, uniqueUserId } from '../test/env.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../test/postgres.ts';
import { seededRandom } from '../test/seeded-random.ts';

const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

let knex: Knex;
beforeAll(() => {
  knex = testKnex(20);
});
afterAll(() => knex.destroy());

const count = async (db: Knex, userId: string, filter: TaskFilter) => {
  const counted = maintainedCount(userId, filter)!;
  const { rows } = await db.raw<{ rows: { n: string }[] }>(
    `SELECT ${counted.sql} AS n`,
    counted.bindings,
  );
  return Number(rows[0]!.n);
};

/** Every filter the maintained counts cover, for a user with these categories. */
function coveredFilters(categories: string[]): TaskFilter[] {
  const filters: TaskFilter[] = [];
  for (const status of ['all', 'pending', 'completed'] as const)
    for (const priorities of [undefined, ['high'], ['low', 'urgent']] as const)
      for (const categoryId of [undefined, ...categories])
        filters.push({ status, priorities: priorities && [...priorities], categoryId });
  return filters;
}

async function plainCount(db: Knex, userId: string, filter: TaskFilter) {
  const query = db('tasks').where('user_id', userId);
  if (filter.status !== 'all') query.where('completed', filter.status === 'completed');
  if (filter.priorities) query.whereIn('priority', filter.priorities);
  if (filter.categoryId) query.where('category_id', filter.categoryId);
  return Number((await query.count({ n: '*' }).first())!.n);
}

async function expectExact(db: Knex, userId: string, categories: string[]) {
  for (const filter of coveredFilters(categories))
    expect([filter, await count(db, userId, filter)]).toEqual([
      filter,
      await plainCount(db, userId, filter),
    ]);
  // The labels page's per-category counts come from the same tables.
  const byCategory = await countTasksByLabel(db, 'categories', userId, categories);
  for (const categoryId of categories)
    expect([categoryId, byCategory.get(categoryId) ?? 0]).toEqual([
      categoryId,
      await plainCount(db, userId, { status: 'all', categoryId }),
    ]);
}

it('covers status, priority and category filters only', () => {
  expect(maintainedCount('u', { status: 'pending', priorities: ['high'] })).toBeDefined();
  expect(maintainedCount('u', { status: 'all', tagIds: ['t'] })).toBeUndefined();
  expect(maintainedCount('u', { status: 'all', dueBefore: new Date() })).toBeUndefined();
  expect(maintainedCount('u', { status: 'all', dueAfter: new Date() })).toBeUndefined();
});

it('stays exact through inserts, moves, deletes, deleted categories and folds, in any order', async () => {
  const rnd = seededRandom(17);
  const userId = uniqueUserId('counts');
  const categories: string[] = (
    await knex('categories')
      .insert([0, 1, 2].map((i) => ({ user_id: userId, name: `c${i}`, color: '#000000' })))
      .returning('id')
  ).map((row: { id: string }) => row.id);
  const task = () => {
    const completed = rnd.next() < 0.3;
    return {
      user_id: userId,
      title: 't',
      priority: rnd.pick(PRIORITIES),
      completed,
      completed_at: completed ? new Date() : null,
      category_id: rnd.next() < 0.6 ? rnd.pick(categories) : null,
    };
  };
  const ids = async () => (await knex('tasks').where('user_id', userId).pluck('id')) as string[];
  for (let step = 0; step < 40; step++) {
    const roll = rnd.next();
    if (roll < 0.3) {
      await knex('tasks').insert(Array.from({ length: 1 + Math.floor(rnd.next() * 20) }, task));
    } else if (roll < 0.55) {
      const some = (await ids()).filter(() => rnd.next() < 0.3);
      const completed = rnd.next() < 0.5;
      await knex('tasks')
        .whereIn('id', some)
        .update({ completed, completed_at: completed ? new Date() : null });
    } else if (roll < 0.7) {
      const some = (await ids()).filter(() => rnd.next() < 0.3);
      await knex('tasks')
        .whereIn('id', some)
        .update({ priority: rnd.pick(PRIORITIES), category_id: rnd.pick([null, ...categories]) });
    } else if (roll < 0.8) {
      // An update that keeps every counted column moves nothing.
      await knex('tasks')
        .where('user_id', userId)
        .update({ title: `t${step}` });
    } else if (roll < 0.9) {
      await knex('tasks')
        .whereIn(
          'id',
          (await ids()).filter(() => rnd.next() < 0.2),
        )
        .delete();
    } else {
      await foldTaskCounts(knex);
    }
    await expectExact(knex, userId, categories);
  }
  // A deleted category's tasks are uncategorized by its foreign key (an UPDATE): still exact.
  await knex('categories').where('id', categories[0]).delete();
  await expectExact(knex, userId, categories);
  await foldTaskCounts(knex);
  await expectExact(knex, userId, categories);
  // Folded, a user's counts are one row a key.
  const rows = await knex('task_counts').where('user_id', userId).select('*');
  const keys = new Set(rows.map((r) => `${r.completed}|${r.priority}|${r.category_id}`));
  expect(keys.size).toBe(rows.length);
  const deltas = await knex('task_count_deltas').where('user_id', userId).count({ n: '*' }).first();
  expect(Number(deltas!.n)).toBe(0);
});

it('counts every write of 16 concurrent writers of one user while folds run beside them', async () => {
  const userId = uniqueUserId('counts-concurrent');
  let folding = true;
  const folds = (async () => {
    let runs = 0;
    while (folding || runs === 0) {
      await Promise.all([foldTaskCounts(knex, 7), foldTaskCounts(knex, 7)]);
      runs += 1;
    }
    return runs;
  })();
  await Promise.all(
    Array.from({ length: 16 }, async (_, writer) => {
      for (let i = 0; i < 10; i++) {
        const [row] = await knex('tasks')
          .insert({ user_id: userId, title: `w${writer}-${i}`, priority: 'high' })
          .returning('id');
        if (i % 3 === 0)
          await knex('tasks')
            .where('id', row.id)
            .update({ completed: true, completed_at: new Date() });
      }
    }),
  );
  folding = false;
  expect(await folds).toBeGreaterThan(0);
  expect(await count(knex, userId, { status: 'all' })).toBe(160);
  expect(await count(knex, userId, { status: 'completed', priorities: ['high'] })).toBe(64);
  while ((await foldTaskCounts(knex)) > 0);
  expect(await count(knex, userId, { status: 'pending' })).toBe(96);
});

it('reads the deltas or their folded sum, never both, in a snapshot taken before the fold', async () => {
  const userId = uniqueUserId('counts-snapshot');
  await knex('tasks').insert(
    Array.from({ length: 5 }, (_, i) => ({ user_id: userId, title: `s${i}` })),
  );
  await knex.transaction(
    async (trx) => {
      expect(await count(trx, userId, { status: 'all' })).toBe(5);
      while ((await foldTaskCounts(knex)) > 0);
      expect(await count(trx, userId, { status: 'all' })).toBe(5);
    },
    { isolationLevel: 'repeatable read' },
  );
  expect(await count(knex, userId, { status: 'all' })).toBe(5);
});

it('counts the tasks that existed before the migration, and empties when tasks are truncated', async () => {
  const server = requireTestEnv('TEST_POSTGRES_SERVER_URL');
  const name = uniqueDatabaseName('todo_test_counts');
  const own = createKnex(await createDatabase(server, name), { poolMax: 2 });
  try {
    await migrateLatest(own);
    // Down to just before the counts (later migrations, if any, first).
    for (let reverted: string[] = []; !reverted.includes('20261202000100_task_counts');)
      reverted = await migrateDown(own);
    await own('tasks').insert([
      { user_id: 'a', title: 'old', priority: 'high' },
      { user_id: 'a', title: 'old', priority: 'high', completed: true, completed_at: new Date() },
      { user_id: 'b', title: 'old' },
    ]);
    await migrateLatest(own);
    expect(await count(own, 'a', { status: 'pending', priorities: ['high'] })).toBe(1);
    expect(await count(own, 'a', { status: 'all' })).toBe(2);
    await own('tasks').whereIn('user_id', ['a', 'b']).delete();
    await own('tasks').insert([{ user_id: 'a', title: 'x' }]);
    await foldTaskCounts(own);
    await own('tasks').insert([{ user_id: 'a', title: 'y' }]);
    expect(await count(own, 'a', { status: 'all' })).toBe(2);
    await own.raw('TRUNCATE tasks CASCADE');
    expect(await count(own, 'a', { status: 'all' })).toBe(0);
  } finally {
    await own.destroy();
    await dropDatabase(server, name);
  }
});
