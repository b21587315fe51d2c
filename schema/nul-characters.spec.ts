/**
 * NUL characters (`\u0000`) in client-supplied text: PostgreSQL text cannot hold them, so every
 * text input refuses them up front with a typed ValidationError naming the field (never an
 * INTERNAL_SERVER_ERROR), and a refused write changes nothing.
 */
import {
  createLabel,
  createTask,
  expectValidationError,
  MUTATIONS,
  type GraphQLResponse,
  type TestUser,
  useTestApi,
} from '../test/api.ts';

const api = useTestApi();

const NUL = '\u0000';
const NUL_MESSAGE = /must not contain the NUL character \(\\u0000\); remove it/;

const rowsOf = async (user: TestUser) => {
  const count = async (table: string) =>
    Number((await api.knex(table).where({ user_id: user.userId }).count({ n: '*' }).first())!.n);
  return {
    tasks: await count('tasks'),
    categories: await count('categories'),
    tags: await count('tags'),
    events: await count('outbox'),
  };
};

/** Expects HTTP 200 with the mutation's payload a ValidationError on `field` about the NUL. */
function expectRefusedPayload(response: GraphQLResponse, name: string, field: string): void {
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  const payload = response.data![name];
  expect(payload).toMatchObject({ __typename: 'ValidationError', field });
  expect(payload.message).toMatch(NUL_MESSAGE);
  expect(payload.message.startsWith(`${field} `)).toBe(true);
}

/** Expects HTTP 200 with the query refused as a whole by a ValidationError on `field`. */
function expectRefusedQuery(response: GraphQLResponse, field: string): void {
  expect(response.status).toBe(200);
  expectValidationError(response, field);
  expect(response.errors![0]!.message).toMatch(NUL_MESSAGE);
}

describe('NUL characters in text inputs', () => {
  describe('createTask', () => {
    it.each([
      ['title', { title: `Buy${NUL}milk` }],
      ['title (only a NUL)', { title: NUL }],
      ['description', { title: 'ok', description: `line${NUL}` }],
      ['idempotencyKey', { title: 'ok', idempotencyKey: `key${NUL}1` }],
      ['timeZone', { title: 'ok', timeZone: `Europe/Berlin${NUL}` }],
      ['recurrenceRule', { title: 'ok', recurrenceRule: `FREQ=DAILY${NUL}` }],
    ])('refuses a NUL in %s and writes nothing', async (name, input) => {
      const user = await api.user();
      const field = `input.${name.split(' ')[0]}`;
      expectRefusedPayload(await user.gql(MUTATIONS.createTask, { input }), 'createTask', field);
      expect(await rowsOf(user)).toEqual({ tasks: 0, categories: 0, tags: 0, events: 0 });
    });
  });

  describe('updateTask', () => {
    it.each([
      ['title', { title: `Renamed${NUL}` }],
      ['description', { description: `${NUL}` }],
      ['timeZone', { timeZone: `UTC${NUL}` }],
      ['recurrenceRule', { recurrenceRule: `FREQ=WEEKLY${NUL}` }],
    ])('refuses a NUL in %s and leaves the task as it was', async (name, input) => {
      const user = await api.user();
      const task = await createTask(user, { title: 'kept', description: 'same' }, 'id');
      const before = await api.knex('tasks').where({ id: task.id }).first();
      expectRefusedPayload(
        await user.gql(MUTATIONS.updateTask, { id: task.id, input }),
        'updateTask',
        `input.${name}`,
      );
      expect(await api.knex('tasks').where({ id: task.id }).first()).toEqual(before);
      expect(await rowsOf(user)).toEqual({ tasks: 1, categories: 0, tags: 0, events: 1 });
    });
  });

  describe.each([
    ['Category', 'categories'],
    ['Tag', 'tags'],
  ] as const)('%s', (kind, table) => {
    it.each([
      ['name', { name: `Work${NUL}`, color: '#000000' }],
      ['color', { name: 'Work', color: `#000000${NUL}` }],
    ])(`refuses a NUL in create${kind} %s and writes nothing`, async (name, input) => {
      const user = await api.user();
      expectRefusedPayload(
        await user.gql(MUTATIONS[`create${kind}`], { input }),
        `create${kind}`,
        `input.${name}`,
      );
      expect(await rowsOf(user)).toEqual({ tasks: 0, categories: 0, tags: 0, events: 0 });
    });

    it(`refuses a NUL in update${kind} name and leaves the ${table} row as it was`, async () => {
      const user = await api.user();
      const label = await createLabel(user, kind, 'Kept');
      expectRefusedPayload(
        await user.gql(MUTATIONS[`update${kind}`], { id: label.id, input: { name: `N${NUL}` } }),
        `update${kind}`,
        'input.name',
      );
      expect(await api.knex(table).where({ id: label.id }).first()).toMatchObject({
        name: 'Kept',
      });
    });
  });

  describe('queries', () => {
    const SEARCH = `query($query: String!, $after: String) {
      searchTasks(query: $query, after: $after) { totalCount edges { node { id } } }
    }`;
    const TASKS = `query($after: String) { tasks(after: $after) { edges { node { id } } } }`;
    const PREVIEW = `query($rule: String!, $timeZone: String!) {
      recurrencePreview(rule: $rule, startAt: "2026-01-05T09:00:00Z", timeZone: $timeZone, count: 3)
    }`;

    it.each([`budget${NUL}`, NUL, `"quoted${NUL} phrase" -word`])(
      'searchTasks refuses a NUL in the query (%j)',
      async (query) => {
        const user = await api.user();
        await createTask(user, { title: 'Budget' });
        expectRefusedQuery(await user.gql(SEARCH, { query }), 'query');
      },
    );

    it('searchTasks and tasks refuse a NUL in the after cursor', async () => {
      const user = await api.user();
      expectRefusedQuery(await user.gql(SEARCH, { query: 'budget', after: `abc${NUL}` }), 'after');
      expectRefusedQuery(await user.gql(TASKS, { after: `abc${NUL}` }), 'after');
    });

    it('tasks refuses a well-formed cursor whose value carries a NUL (a typed error, not a 500)', async () => {
      const user = await api.user();
      const forged = Buffer.from(
        JSON.stringify(['created_at', 'desc', `2026-01-01${NUL}`, crypto.randomUUID()]),
      ).toString('base64url');
      const response = await user.gql(TASKS, { after: forged });
      expect(response.status).toBe(200);
      expectValidationError(response, 'after');
    });

    it.each([
      ['rule', { rule: `FREQ=DAILY${NUL}`, timeZone: 'UTC' }],
      ['timeZone', { rule: 'FREQ=DAILY', timeZone: `UTC${NUL}` }],
    ])('recurrencePreview refuses a NUL in %s', async (field, variables) => {
      const user = await api.user();
      expectRefusedQuery(await user.gql(PREVIEW, variables), field);
    });
  });
});
