import { LIMITS } from '../model/limits.ts';
import { createTask, mutate, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

const rowsOf = async (user: TestUser) => ({
  tasks: (await api.knex('tasks').where({ user_id: user.userId })).length,
  events: (await api.knex('outbox').where({ user_id: user.userId })).length,
});

describe('a description is bounded in bytes as events carry it', () => {
  it('refuses 10,000 control characters with a ValidationError on description, writing nothing', async () => {
    const user = await api.user();
    const payload = await mutate(user, 'createTask', {
      input: { title: 'escaped', description: '\u0001'.repeat(LIMITS.descriptionLength) },
    });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'input.description' });
    expect(payload.message).toContain(`at most ${LIMITS.descriptionJsonBytes} bytes`);
    expect(payload.message).toMatch(/remove control characters or shorten it/);
    expect(await rowsOf(user)).toEqual({ tasks: 0, events: 0 });
  });

  it('refuses the same on update and leaves the task and its events as they were', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 'kept', description: 'short' }, 'id description');
    const payload = await mutate(user, 'updateTask', {
      id: task.id,
      input: { description: '\u001f'.repeat(7_000) },
    });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'input.description' });
    expect(await rowsOf(user)).toEqual({ tasks: 1, events: 1 });
  });

  it.each([
    ['ASCII', 'a'],
    ['CJK, 3 bytes each', '中'],
    ['short lines, each break escaped in 2 bytes', 'a\n'],
  ])('accepts 10,000 characters of %s', async (_name, text) => {
    const user = await api.user();
    const description = text.repeat(LIMITS.descriptionLength / text.length);
    expect(description).toHaveLength(LIMITS.descriptionLength);
    const task = await createTask(user, { title: 'ordinary', description }, 'description');
    expect(task.description).toBe(description);
    expect(await rowsOf(user)).toEqual({ tasks: 1, events: 1 });
  });
});
