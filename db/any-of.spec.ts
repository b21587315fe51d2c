import type { Knex } from 'knex';
import { whereAnyOf } from './any-of.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';

let knex: Knex;
beforeAll(() => {
  knex = testKnex();
});
afterAll(() => knex.destroy());

it('matches any of the values with one statement text for every number of values', async () => {
  const userId = uniqueUserId('any-of');
  const titles = ['plain', `it's "quoted", {braced} \\ and, commas`, 'third'];
  const ids: string[] = (
    await knex('tasks')
      .insert(titles.map((title) => ({ user_id: userId, title })))
      .returning('id')
  ).map((row: { id: string }) => row.id);
  const texts = new Set<string>();
  for (const [n, query] of [
    [1, whereAnyOf(knex('tasks'), 'tasks.id', ids.slice(0, 1))],
    [3, whereAnyOf(knex('tasks'), 'tasks.id', ids)],
    [0, whereAnyOf(knex('tasks'), 'tasks.id', [])],
  ] as const) {
    texts.add(query.clone().select('id').toSQL().toNative().sql);
    expect(await query.select('id')).toHaveLength(n);
  }
  expect(texts.size).toBe(1);
  // Text values with quotes, braces, backslashes and commas arrive as they are.
  const found = await whereAnyOf(knex('tasks'), 'title', titles).where('user_id', userId);
  expect(found.map((row: { title: string }) => row.title).sort()).toEqual([...titles].sort());
});

it('refuses a value of the wrong type as PostgreSQL refuses it in a list', async () => {
  await expect(whereAnyOf(knex('tasks'), 'id', ['not-a-uuid']).select('id')).rejects.toMatchObject({
    code: '22P02',
  });
});
