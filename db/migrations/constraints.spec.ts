import type { Knex } from 'knex';
import { testKnex, uniqueUserId } from '../../test/env.ts';

let knex: Knex;
beforeAll(() => {
  knex = testKnex();
});
afterAll(() => knex.destroy());

async function refusal(write: Promise<unknown>): Promise<{ constraint: string; message: string }> {
  try {
    await write;
  } catch (error) {
    const { constraint, message } = error as { constraint: string; message: string };
    return { constraint, message };
  }
  throw new Error('the database accepted a row it should refuse');
}

async function expectRefused(write: Promise<unknown>, constraint: string): Promise<void> {
  const refused = await refusal(write);
  expect(refused.constraint).toBe(constraint);
  expect(refused.message).toContain(constraint);
}

const task = (userId: string, extra: Record<string, unknown> = {}) =>
  knex('tasks').insert({ user_id: userId, title: 'Write report', ...extra });

describe('database constraints', () => {
  it('refuses an empty, blank or 201-character title and accepts 200 characters', async () => {
    const userId = uniqueUserId();
    await expectRefused(task(userId, { title: '' }), 'tasks_title_length');
    await expectRefused(task(userId, { title: '   ' }), 'tasks_title_length');
    await expectRefused(task(userId, { title: 'x'.repeat(201) }), 'tasks_title_length');
    await expect(task(userId, { title: 'x'.repeat(200) })).resolves.toBeDefined();
  });

  it('refuses an unknown priority and a completion without its time', async () => {
    const userId = uniqueUserId();
    await expectRefused(task(userId, { priority: 'critical' }), 'tasks_priority_valid');
    await expectRefused(task(userId, { completed: true }), 'tasks_completed_at_consistent');
    await expectRefused(
      task(userId, { recurrence_anchor: 'whenever' }),
      'tasks_recurrence_anchor_valid',
    );
  });

  it('refuses bad colours and duplicate names, which are case-sensitive', async () => {
    const userId = uniqueUserId();
    await expectRefused(
      knex('categories').insert({ user_id: userId, name: 'Work', color: 'red' }),
      'categories_color_format',
    );
    await expectRefused(
      knex('tags').insert({ user_id: userId, name: 'urgent', color: '#12345' }),
      'tags_color_format',
    );
    await knex('categories').insert({ user_id: userId, name: 'Work', color: '#AABBCC' });
    await expectRefused(
      knex('categories').insert({ user_id: userId, name: 'Work', color: '#AABBCC' }),
      'categories_user_name_unique',
    );
    await knex('categories').insert({ user_id: userId, name: 'work', color: '#aabbcc' });
    await knex('categories').insert({ user_id: uniqueUserId(), name: 'Work', color: '#AABBCC' });
    await expectRefused(
      knex('tags').insert({ user_id: userId, name: 'x'.repeat(31), color: '#000000' }),
      'tags_name_length',
    );
  });

  it('refuses the 51st category and the 101st tag of a user', async () => {
    const userId = uniqueUserId();
    const rows = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        user_id: userId,
        name: `n${i}`,
        color: '#000000',
      }));
    await knex('categories').insert(rows(50));
    await expectRefused(
      knex('categories').insert({ user_id: userId, name: 'one more', color: '#000000' }),
      'categories_per_user_limit',
    );
    await knex('tags').insert(rows(100));
    await expectRefused(
      knex('tags').insert({ user_id: userId, name: 'one more', color: '#000000' }),
      'tags_per_user_limit',
    );
    await knex('categories').insert({ user_id: uniqueUserId(), name: 'n0', color: '#000000' });
  });

  it('refuses the 11th tag on a task', async () => {
    const userId = uniqueUserId();
    const [{ id: taskId }] = await task(userId).returning('id');
    const tags = await knex('tags')
      .insert(
        Array.from({ length: 11 }, (_, i) => ({
          user_id: userId,
          name: `t${i}`,
          color: '#000000',
        })),
      )
      .returning('id');
    await knex('task_tags').insert(
      tags.slice(0, 10).map(({ id }) => ({ user_id: userId, task_id: taskId, tag_id: id })),
    );
    await expectRefused(
      knex('task_tags').insert({ user_id: userId, task_id: taskId, tag_id: tags[10]!.id }),
      'task_tags_per_task_limit',
    );
  });

  it("refuses a task pointing at another user's category or tag", async () => {
    const owner = uniqueUserId('owner');
    const intruder = uniqueUserId('intruder');
    const [{ id: categoryId }] = await knex('categories')
      .insert({ user_id: owner, name: 'Private', color: '#000000' })
      .returning('id');
    const [{ id: tagId }] = await knex('tags')
      .insert({ user_id: owner, name: 'private', color: '#000000' })
      .returning('id');
    await expectRefused(task(intruder, { category_id: categoryId }), 'tasks_category_fk');
    const [{ id: taskId }] = await task(intruder).returning('id');
    await expectRefused(
      knex('task_tags').insert({ user_id: intruder, task_id: taskId, tag_id: tagId }),
      'task_tags_tag_fk',
    );
  });

  it('leaves tasks uncategorised when their category is deleted and untags them with their tag', async () => {
    const userId = uniqueUserId();
    const [{ id: categoryId }] = await knex('categories')
      .insert({ user_id: userId, name: 'Home', color: '#00FF00' })
      .returning('id');
    const [{ id: tagId }] = await knex('tags')
      .insert({ user_id: userId, name: 'soon', color: '#00FF00' })
      .returning('id');
    const [{ id: taskId }] = await task(userId, { category_id: categoryId }).returning('id');
    await knex('task_tags').insert({ user_id: userId, task_id: taskId, tag_id: tagId });

    await knex('categories').where({ id: categoryId }).delete();
    await knex('tags').where({ id: tagId }).delete();

    const row = await knex('tasks').where({ id: taskId }).first();
    expect(row).toMatchObject({ user_id: userId, category_id: null });
    expect(await knex('task_tags').where({ task_id: taskId })).toEqual([]);
  });

  it('keeps the weighted search vector, updated_at and version current', async () => {
    const userId = uniqueUserId();
    const [created] = await task(userId, {
      title: 'Quarterly budgets',
      description: 'for the board',
    }).returning(['id', 'search_vector', 'updated_at', 'version']);
    expect(created.search_vector).toBe("'board':5B 'budget':2A 'quarter':1A");
    const [updated] = await knex('tasks')
      .where({ id: created.id })
      .update({ title: 'Annual budgets' })
      .returning(['search_vector', 'updated_at', 'version']);
    expect(updated.search_vector).toBe("'annual':1A 'board':5B 'budget':2A");
    expect(updated.version).toBe(2);
    expect(updated.updated_at.getTime()).toBeGreaterThanOrEqual(created.updated_at.getTime());
  });
});
