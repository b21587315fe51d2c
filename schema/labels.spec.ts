import { createLabel, createTask, MUTATIONS, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

const FIELDS = 'id name color taskCount';
const kinds = [
  {
    type: 'Category',
    list: 'categories',
    field: 'category',
    table: 'categories',
    maxName: 50,
    maxCount: 50,
  },
  { type: 'Tag', list: 'tags', field: 'tag', table: 'tags', maxName: 30, maxCount: 100 },
] as const;

describe.each(kinds)('$list', ({ type, list, field, table, maxName, maxCount }) => {
  const CREATE = MUTATIONS[`create${type}`];
  const UPDATE = MUTATIONS[`update${type}`];
  const DELETE = MUTATIONS[`delete${type}`];
  const LIST = `{ ${list} { ${FIELDS} } }`;

  const create = async (user: TestUser, input: Record<string, unknown>) =>
    (await user.gql(CREATE, { input })).data![`create${type}`];
  const count = async (user: TestUser) =>
    Number((await api.knex(table).where({ user_id: user.userId }).count({ n: '*' }).first())!.n);

  it('creates, lists by name, renames, recolours and deletes', async () => {
    const user = await api.user();
    const b = await create(user, { name: ' Beta ', color: '#00ff00' });
    expect(b).toMatchObject({
      __typename: `Create${type}Success`,
      [field]: { name: 'Beta', color: '#00FF00', taskCount: 0 },
    });
    await create(user, { name: 'Alpha', color: '#0000FF' });
    expect((await user.gql(LIST)).data![list].map((label: { name: string }) => label.name)).toEqual(
      ['Alpha', 'Beta'],
    );
    const id = b[field].id;
    const renamed = (await user.gql(UPDATE, { id, input: { name: 'Gamma' } })).data![
      `update${type}`
    ];
    expect(renamed[field]).toMatchObject({ id, name: 'Gamma', color: '#00FF00' });
    const recoloured = (await user.gql(UPDATE, { id, input: { color: '#123abc' } })).data![
      `update${type}`
    ];
    expect(recoloured[field]).toMatchObject({ name: 'Gamma', color: '#123ABC' });
    const deleted = (await user.gql(DELETE, { id })).data![`delete${type}`];
    expect(deleted).toMatchObject({
      __typename: `Delete${type}Success`,
      [field]: { id, name: 'Gamma' },
    });
    expect((await user.gql(LIST)).data![list]).toHaveLength(1);
    expect((await user.gql(DELETE, { id })).data![`delete${type}`]).toMatchObject({
      __typename: 'NotFoundError',
      entity: type,
      id,
    });
  });

  it.each([
    ['an empty name', { name: '', color: '#000000' }, 'input.name', /must not be empty/],
    [
      'a name that is too long',
      { name: 'n'.repeat(maxName + 1), color: '#000000' },
      'input.name',
      /at most/,
    ],
    ['a colour name', { name: 'x', color: 'red' }, 'input.color', /#RRGGBB/],
    ['a short hex colour', { name: 'x', color: '#FFF' }, 'input.color', /#RRGGBB/],
  ])('refuses %s with a ValidationError', async (_name, input, errorField, message) => {
    const user = await api.user();
    const payload = await create(user, input);
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: errorField });
    expect(payload.message).toMatch(message);
    expect(await count(user)).toBe(0);
  });

  it('accepts a name of the maximum length', async () => {
    const user = await api.user();
    expect((await create(user, { name: 'n'.repeat(maxName), color: '#000000' })).__typename).toBe(
      `Create${type}Success`,
    );
  });

  it('refuses a duplicate name (case-sensitive) on create and on rename', async () => {
    const user = await api.user();
    await create(user, { name: 'Work', color: '#000000' });
    expect(await create(user, { name: 'Work', color: '#111111' })).toMatchObject({
      __typename: 'ConflictError',
      conflictField: 'name',
    });
    const lower = await create(user, { name: 'work', color: '#111111' });
    expect(lower.__typename).toBe(`Create${type}Success`);
    const clash = (await user.gql(UPDATE, { id: lower[field].id, input: { name: 'Work' } })).data![
      `update${type}`
    ];
    expect(clash.__typename).toBe('ConflictError');
    expect(clash.message).toMatch(/already have/);
    expect(await count(user)).toBe(2);
  });

  it(`refuses label number ${maxCount + 1} with LimitExceededError`, async () => {
    const user = await api.user();
    await api.knex(table).insert(
      Array.from({ length: maxCount }, (_, i) => ({
        user_id: user.userId,
        name: `n${i}`,
        color: '#000000',
      })),
    );
    const payload = await create(user, { name: 'one more', color: '#000000' });
    expect(payload).toMatchObject({ __typename: 'LimitExceededError', max: maxCount });
    expect(payload.message).toMatch(new RegExp(`at most ${maxCount}`));
    expect(await count(user)).toBe(maxCount);
  });

  it('refuses an update that changes nothing, and unknown or malformed ids', async () => {
    const user = await api.user();
    const label = (await create(user, { name: 'x', color: '#000000' }))[field];
    expect(
      (await user.gql(UPDATE, { id: label.id, input: {} })).data![`update${type}`],
    ).toMatchObject({
      __typename: 'ValidationError',
      field: 'input',
    });
    const missing = '00000000-0000-4000-8000-000000000003';
    expect(
      (await user.gql(UPDATE, { id: missing, input: { name: 'y' } })).data![`update${type}`],
    ).toMatchObject({
      __typename: 'NotFoundError',
      entity: type,
    });
    expect((await user.gql(DELETE, { id: 'nope' })).data![`delete${type}`]).toMatchObject({
      __typename: 'ValidationError',
      field: 'id',
    });
  });
});

describe('labels and their tasks', () => {
  const TASK = `query($id: ID!) { task(id: $id) { id category { id } tags { id } } }`;

  it('counts tasks per label, leaves tasks uncategorised and untags them on delete', async () => {
    const user = await api.user();
    const categoryId = (await createLabel(user, 'Category', 'Home')).id;
    const tagId = (await createLabel(user, 'Tag', 'soon')).id;
    const ids: string[] = [];
    for (const title of ['a', 'b']) {
      ids.push((await createTask(user, { title, categoryId, tagIds: [tagId] })).id);
    }
    await user.gql(MUTATIONS.createTask, { input: { title: 'c' } });
    const counts = (await user.gql(`{ categories { taskCount } tags { taskCount } }`)).data!;
    expect(counts).toEqual({ categories: [{ taskCount: 2 }], tags: [{ taskCount: 2 }] });

    await user.gql(MUTATIONS.deleteCategory, { id: categoryId });
    await user.gql(MUTATIONS.deleteTag, { id: tagId });
    for (const id of ids) {
      expect((await user.gql(TASK, { id })).data!.task).toEqual({ id, category: null, tags: [] });
    }
  });
});
