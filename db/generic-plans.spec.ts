import type { Knex } from 'knex';
import { createKnex } from './knex.ts';
import { listTaskPage, searchTaskPage } from './task-query.ts';
import { requireTestEnv, uniqueUserId } from '../test/env.ts';

/** One connection, so the statements below run on the session whose plan cache is read. */
const pool = (options: { genericPlans?: boolean; preparedStatements?: boolean }) =>
  createKnex(requireTestEnv('TEST_DATABASE_URL'), { poolMax: 1, ...options });

const planCacheMode = async (knex: Knex) =>
  (await knex.raw<{ rows: { plan_cache_mode: string }[] }>('SHOW plan_cache_mode')).rows[0]!
    .plan_cache_mode;

/**
 * How often the session planned its statements matching `pattern` for their parameters, and
 * generically.
 */
async function plans(knex: Knex, pattern: string) {
  const { rows } = await knex.raw<{ rows: { generic_plans: string; custom_plans: string }[] }>(
    'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE ?',
    [`%${pattern}%`],
  );
  expect(rows.length).toBeGreaterThan(0);
  const sum = (column: 'generic_plans' | 'custom_plans') =>
    rows.reduce((total, row) => total + Number(row[column]), 0);
  return { generic: sum('generic_plans'), custom: sum('custom_plans') };
}

const pools: Knex[] = [];
afterAll(() => Promise.all(pools.map((knex) => knex.destroy())));
const open = (options: Parameters<typeof pool>[0]) => {
  const knex = pool(options);
  pools.push(knex);
  return knex;
};

let many: string;
let few: string;
beforeAll(async () => {
  const knex = open({});
  many = uniqueUserId('generic-many');
  few = uniqueUserId('generic-few');
  const task = (userId: string, i: number) => ({
    user_id: userId,
    title: `${i % 3 === 0 ? 'Budget' : 'Garden'} task ${i}`,
    description: i % 2 ? 'quarterly report' : 'weekly notes',
    priority: ['low', 'medium', 'high', 'urgent'][i % 4],
    due_at: new Date(Date.UTC(2026, 11, 1 + (i % 28))),
  });
  await knex('tasks').insert(Array.from({ length: 300 }, (_, i) => task(many, i)));
  await knex('tasks').insert(Array.from({ length: 6 }, (_, i) => task(few, i)));
});

it('sets generic plans on every connection of a pool that asks, and only with prepared statements', async () => {
  expect(await planCacheMode(open({ genericPlans: true }))).toBe('force_generic_plan');
  expect(await planCacheMode(open({}))).toBe('auto');
  expect(await planCacheMode(open({ genericPlans: true, preparedStatements: false }))).toBe('auto');
});

it.each([
  [true, 'plans the task page once for every user'],
  [false, "leaves PostgreSQL's choice, which plans the task page for its parameters at first"],
])('generic plans %s: %s', async (genericPlans) => {
  const knex = open({ genericPlans });
  const page = (userId: string) =>
    listTaskPage(
      knex,
      userId,
      { status: 'pending', priorities: ['high'] },
      { field: 'due_date', direction: 'asc' },
      { first: 5 },
      { withTotal: true },
    );
  for (let i = 0; i < 6; i++) await page(many);
  const { items, total } = await page(few);
  expect(items.map(({ node }) => node.title)).toEqual(['Garden task 2']);
  expect(total).toBe(1);
  const { generic, custom } = await plans(knex, 'AS sort_key');
  if (genericPlans) expect({ generic, custom }).toEqual({ generic: 7, custom: 0 });
  else expect(custom).toBeGreaterThanOrEqual(5);
});

it('searches alike on generic plans: the same hits, ranks, highlights, totals and prefixes', async () => {
  const generic = open({ genericPlans: true });
  const auto = open({});
  for (const text of [
    'budget',
    'budg',
    'quarterly -budget',
    '"weekly notes"',
    'garden or budget',
  ]) {
    const search = (knex: Knex) =>
      searchTaskPage(knex, many, text, { status: 'all' }, { first: 10 });
    const [onGeneric, onAuto] = [await search(generic), await search(auto)];
    expect(onGeneric.total).toBeGreaterThan(0);
    expect(onGeneric).toEqual(onAuto);
  }
  expect((await plans(generic, 'search_query')).custom).toBe(0);
});
