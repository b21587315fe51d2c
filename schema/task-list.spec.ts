import {
  completeTask,
  createInOrder,
  createLabel,
  createTask,
  expectValidationError,
  HOUR,
  mutate,
  useTestApi,
  walkPages,
  type Page,
  type TestUser,
} from '../test/api.ts';

/** The task fields the list tests read. */
interface ListedTask {
  id: string;
  title: string;
  priority: 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';
  dueAt: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

type Connection = Page<{ cursor: string; node: ListedTask }>;

type Vars = Record<string, unknown>;

const NODE = 'id title priority dueAt completed createdAt updatedAt';
const CONNECTION = `
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { ${NODE} } }
`;

const TASKS = `query Tasks($filter: TaskFilterInput, $orderBy: TaskOrderInput, $first: Int, $after: String) {
  tasks(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { ${CONNECTION} }
}`;
const OVERDUE = `query Overdue($first: Int, $after: String) {
  overdueTasks(first: $first, after: $after) { ${CONNECTION} }
}`;
const UPCOMING = `query Upcoming($withinHours: Int, $first: Int, $after: String) {
  upcomingTasks(withinHours: $withinHours, first: $first, after: $after) { ${CONNECTION} }
}`;
const SEARCH = `query Search($query: String!, $first: Int) {
  searchTasks(query: $query, first: $first) { pageInfo { endCursor } }
}`;

const DAY = 24 * HOUR;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

const api = useTestApi();

async function renameTask(user: TestUser, id: string, title: string): Promise<void> {
  expect(await mutate(user, 'updateTask', { id, input: { title } })).toMatchObject({
    __typename: 'UpdateTaskSuccess',
    task: { id },
  });
}

async function query(
  user: TestUser,
  text: string,
  field: string,
  variables: Vars = {},
): Promise<Connection> {
  const response = await user.gql(text, variables);
  expect(response.errors).toBeUndefined();
  return response.data![field] as Connection;
}

const list = (user: TestUser, variables: Vars = {}) => query(user, TASKS, 'tasks', variables);
const idsOf = (connection: Connection) => connection.edges.map((edge) => edge.node.id);
const titlesOf = (connection: Connection) => connection.edges.map((edge) => edge.node.title);

/** Walks every page of a list, checking each page's paging fields; returns all edges in order. */
const walk = (
  user: TestUser,
  text: string,
  field: string,
  variables: Vars,
  pageSize: number,
  expectedTotal: number,
): Promise<Connection['edges']> =>
  walkPages(
    async (first, after) => {
      const connection = await query(user, text, field, { ...variables, first, after });
      expect(connection.edges.length).toBeLessThanOrEqual(pageSize);
      return connection;
    },
    pageSize,
    expectedTotal,
  );

const PRIORITY_RANK = { LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4 } as const;
const byId = (a: ListedTask, b: ListedTask) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('tasks: order', () => {
  it('lists newest first by default, and by CREATED_AT in both directions', async () => {
    const user = await api.user();
    const [a, b, c] = await createInOrder(user, [
      { title: 'first' },
      { title: 'second' },
      { title: 'third' },
    ]);
    const newestFirst = [c!.id, b!.id, a!.id];

    expect(idsOf(await list(user))).toEqual(newestFirst);
    expect(
      idsOf(await list(user, { orderBy: { field: 'CREATED_AT', direction: 'DESC' } })),
    ).toEqual(newestFirst);
    expect(idsOf(await list(user, { orderBy: { field: 'CREATED_AT', direction: 'ASC' } }))).toEqual(
      [a!.id, b!.id, c!.id],
    );
    // The direction defaults to ASC.
    expect(idsOf(await list(user, { orderBy: { field: 'CREATED_AT' } }))).toEqual([
      a!.id,
      b!.id,
      c!.id,
    ]);
  });

  it('orders by UPDATED_AT in both directions', async () => {
    const user = await api.user();
    const [a, b, c] = await createInOrder(user, [{ title: 'a' }, { title: 'b' }, { title: 'c' }]);
    await renameTask(user, b!.id, 'b, edited');
    await renameTask(user, a!.id, 'a, edited');

    const asc = await list(user, { orderBy: { field: 'UPDATED_AT', direction: 'ASC' } });
    expect(idsOf(asc)).toEqual([c!.id, b!.id, a!.id]);
    const desc = await list(user, { orderBy: { field: 'UPDATED_AT', direction: 'DESC' } });
    expect(idsOf(desc)).toEqual([a!.id, b!.id, c!.id]);
    // Creation order is unchanged by the edits.
    expect(idsOf(await list(user))).toEqual([c!.id, b!.id, a!.id]);
  });

  it('orders by DUE_DATE, tasks without a due date last in ASC', async () => {
    const user = await api.user();
    const tasks = await createInOrder(user, [
      { title: 'in three days', dueAt: inMs(3 * DAY) },
      { title: 'no due date 1' },
      { title: 'tomorrow', dueAt: inMs(DAY) },
      { title: 'yesterday', dueAt: inMs(-DAY) },
      { title: 'no due date 2' },
      { title: 'in a week', dueAt: inMs(7 * DAY) },
    ]);
    const byTitle = (title: string) => tasks.find((task) => task.title === title)!;
    const undated = [byTitle('no due date 1'), byTitle('no due date 2')].sort(byId);
    const asc = [
      byTitle('yesterday').id,
      byTitle('tomorrow').id,
      byTitle('in three days').id,
      byTitle('in a week').id,
      ...undated.map((task) => task.id),
    ];

    const ascending = await list(user, { orderBy: { field: 'DUE_DATE', direction: 'ASC' } });
    expect(idsOf(ascending)).toEqual(asc);
    expect(ascending.edges.slice(-2).map((edge) => edge.node.dueAt)).toEqual([null, null]);
    const descending = await list(user, { orderBy: { field: 'DUE_DATE', direction: 'DESC' } });
    expect(idsOf(descending)).toEqual([...asc].reverse());
  });

  it('orders by PRIORITY, LOW < MEDIUM < HIGH < URGENT', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'high', priority: 'HIGH' },
      { title: 'low', priority: 'LOW' },
      { title: 'urgent', priority: 'URGENT' },
      { title: 'medium (default)' },
    ]);

    const asc = await list(user, { orderBy: { field: 'PRIORITY', direction: 'ASC' } });
    expect(titlesOf(asc)).toEqual(['low', 'medium (default)', 'high', 'urgent']);
    expect(asc.edges.map((edge) => edge.node.priority)).toEqual([
      'LOW',
      'MEDIUM',
      'HIGH',
      'URGENT',
    ]);
    const desc = await list(user, { orderBy: { field: 'PRIORITY', direction: 'DESC' } });
    expect(titlesOf(desc)).toEqual(['urgent', 'high', 'medium (default)', 'low']);
  });

  it('orders by TITLE case-insensitively', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'cherry' },
      { title: 'Banana split' },
      { title: 'apricot' },
      { title: 'banana' },
      { title: 'Apple' },
    ]);

    const asc = await list(user, { orderBy: { field: 'TITLE', direction: 'ASC' } });
    expect(titlesOf(asc)).toEqual(['Apple', 'apricot', 'banana', 'Banana split', 'cherry']);
    const desc = await list(user, { orderBy: { field: 'TITLE', direction: 'DESC' } });
    expect(titlesOf(desc)).toEqual(['cherry', 'Banana split', 'banana', 'apricot', 'Apple']);
  });
});

describe('tasks: keyset pagination', () => {
  const PRIORITIES = ['LOW', 'HIGH', 'URGENT'] as const;
  const TITLES = ['Same', 'same', 'Other', 'alpha', 'ALPHA'];

  /** 25 tasks created in parallel, so many share a millisecond and most sort keys tie. */
  async function manyTasks(user: TestUser): Promise<ListedTask[]> {
    const due = [inMs(DAY), inMs(2 * DAY), null];
    return Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        createTask(user, {
          title: TITLES[i % TITLES.length],
          priority: PRIORITIES[i % PRIORITIES.length],
          ...(due[i % due.length] ? { dueAt: due[i % due.length] } : {}),
        }),
      ),
    );
  }

  /** What each order means, on the fields the client sees (ties broken by id). */
  const EXPECTED: Record<string, (tasks: ListedTask[]) => string[]> = {
    PRIORITY: (tasks) =>
      [...tasks]
        .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || byId(a, b))
        .map((task) => task.id),
    TITLE: (tasks) =>
      [...tasks]
        .sort((a, b) => {
          const [x, y] = [a.title.toLowerCase(), b.title.toLowerCase()];
          return x < y ? -1 : x > y ? 1 : byId(a, b);
        })
        .map((task) => task.id),
    DUE_DATE: (tasks) =>
      [...tasks]
        .sort((a, b) => {
          const [x, y] = [
            a.dueAt ? Date.parse(a.dueAt) : Infinity,
            b.dueAt ? Date.parse(b.dueAt) : Infinity,
          ];
          return x < y ? -1 : x > y ? 1 : byId(a, b);
        })
        .map((task) => task.id),
  };

  it('walks every page of every order exactly once, including tasks created in the same instant', async () => {
    const user = await api.user();
    const tasks = await manyTasks(user);
    const created = tasks.map((task) => task.id).sort();

    for (const field of ['CREATED_AT', 'UPDATED_AT', 'DUE_DATE', 'PRIORITY', 'TITLE']) {
      for (const direction of ['ASC', 'DESC']) {
        const orderBy = { field, direction };
        const edges = await walk(user, TASKS, 'tasks', { orderBy }, 7, 25);
        const walked = edges.map((edge) => edge.node.id);
        expect(walked).toHaveLength(25);
        expect([...walked].sort()).toEqual(created);
        // The same order as one page holding everything.
        expect(walked).toEqual(idsOf(await list(user, { orderBy, first: 100 })));
        const expected = EXPECTED[field]?.(tasks);
        if (expected) {
          expect(walked).toEqual(direction === 'ASC' ? expected : [...expected].reverse());
        }
        if (field === 'CREATED_AT') {
          const times = edges.map((edge) => Date.parse(edge.node.createdAt));
          const sorted = [...times].sort((a, b) => a - b);
          expect(times).toEqual(direction === 'ASC' ? sorted : sorted.reverse());
        }
      }
    }

    // The default order walks the same way.
    const edges = await walk(user, TASKS, 'tasks', {}, 7, 25);
    expect(edges.map((edge) => edge.node.id)).toEqual(
      idsOf(await list(user, { orderBy: { field: 'CREATED_AT', direction: 'DESC' }, first: 100 })),
    );
  });

  it('never skips or repeats tasks whose timestamps are equal or share a millisecond', async () => {
    const user = await api.user();
    const tasks = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createTask(user, { title: `task ${i}` })),
    );
    // Four tasks at exactly the same instant, the others microseconds apart in the same ms.
    const micros = ['123456', '123456', '123456', '123456', '123001', '123999'];
    const stamps = tasks.map((task, i) => ({
      id: task.id,
      createdAt: `2030-01-01 00:00:00.${micros[i % micros.length]}+00`,
    }));
    await api.knex.transaction(async (trx) => {
      for (const { id, createdAt } of stamps) {
        await trx('tasks').where({ id, user_id: user.userId }).update({ created_at: createdAt });
      }
      // One statement: the trigger gives every row the very same updated_at.
      await trx('tasks')
        .where({ user_id: user.userId })
        .update({ title: trx.raw('title') });
    });
    const expected = [...stamps]
      .sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
      )
      .map((stamp) => stamp.id);
    const byIdAsc = tasks.map((task) => task.id).sort();

    const walked = async (variables: Vars) =>
      (await walk(user, TASKS, 'tasks', variables, 5, 12)).map((edge) => edge.node.id);
    expect(await walked({ orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).toEqual(expected);
    expect(await walked({ orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).toEqual(
      [...expected].reverse(),
    );
    expect(await walked({})).toEqual([...expected].reverse());
    expect(await walked({ orderBy: { field: 'UPDATED_AT', direction: 'ASC' } })).toEqual(byIdAsc);
    expect(await walked({ orderBy: { field: 'UPDATED_AT', direction: 'DESC' } })).toEqual(
      [...byIdAsc].reverse(),
    );
  });

  it('keeps totalCount at the filtered total on every page and ends exactly on a full page', async () => {
    const user = await api.user();
    const tasks = await manyTasks(user);
    const urgent = tasks.filter((task) => task.priority === 'URGENT').map((task) => task.id);
    expect(urgent).toHaveLength(8);

    const filter = { priorities: ['URGENT'] };
    const edges = await walk(user, TASKS, 'tasks', { filter }, 4, 8);
    expect(edges.map((edge) => edge.node.id).sort()).toEqual([...urgent].sort());

    // Two full pages of four: the second says there is nothing more.
    const first = await list(user, { filter, first: 4 });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await list(user, { filter, first: 4, after: first.pageInfo.endCursor });
    expect(second.edges).toHaveLength(4);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(second.totalCount).toBe(8);
    // After the last item: an empty page.
    const third = await list(user, { filter, first: 4, after: second.pageInfo.endCursor });
    expect(third).toEqual({
      totalCount: 8,
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
      edges: [],
    });
  });

  it('defaults to pages of 20, accepts first: 0 and first: 100', async () => {
    const user = await api.user();
    await manyTasks(user);

    const page = await list(user);
    expect(page.edges).toHaveLength(20);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.totalCount).toBe(25);
    const empty = await list(user, { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.totalCount).toBe(25);
    const all = await list(user, { first: 100 });
    expect(all.edges).toHaveLength(25);
    expect(all.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a cursor of another order, another list, or garbage', async () => {
    const user = await api.user();
    await createInOrder(user, [{ title: 'one', dueAt: inMs(DAY) }, { title: 'two' }]);
    const byTitle = await list(user, { orderBy: { field: 'TITLE' }, first: 1 });
    const byCreation = await list(user, { first: 1 });
    await createTask(user, { title: 'searchable words' });
    const search = await user.gql(SEARCH, { query: 'searchable', first: 1 });
    expect(search.errors).toBeUndefined();
    const searchCursor = search.data!.searchTasks.pageInfo.endCursor as string;
    expect(typeof searchCursor).toBe('string');

    const forged = (key: string, value: string) =>
      Buffer.from(JSON.stringify([key, value, byCreation.edges[0]!.node.id])).toString('base64url');
    const cases: [Vars, string | null][] = [
      [{ orderBy: { field: 'PRIORITY' } }, byTitle.pageInfo.endCursor],
      [{ orderBy: { field: 'DUE_DATE', direction: 'DESC' } }, byTitle.pageInfo.endCursor],
      [{ orderBy: { field: 'TITLE' } }, byCreation.pageInfo.endCursor],
      [{ orderBy: { field: 'UPDATED_AT', direction: 'DESC' } }, byCreation.pageInfo.endCursor],
      [{}, byTitle.pageInfo.endCursor],
      [{}, searchCursor],
      [{}, 'garbage'],
      [{}, ''.padEnd(40, '!')],
      [
        {},
        Buffer.from('["created_at","2026-01-01 00:00:00+00","not-an-id"]').toString('base64url'),
      ],
      [{}, Buffer.from('{"created_at":1}').toString('base64url')],
      // Well-formed cursors whose value PostgreSQL cannot read as the sort key.
      [{}, forged('created_at', 'not a time')],
      [{ orderBy: { field: 'UPDATED_AT' } }, forged('updated_at', '2030-13-45')],
      [{ orderBy: { field: 'DUE_DATE' } }, forged('due_date', 'soon')],
      [{ orderBy: { field: 'PRIORITY' } }, forged('priority', 'high')],
      [{ orderBy: { field: 'PRIORITY' } }, forged('priority', '99999999')],
      [{}, Buffer.from('not json at all').toString('base64url')],
    ];
    for (const [variables, after] of cases) {
      expectValidationError(await user.gql(TASKS, { ...variables, after, first: 5 }), 'after');
    }
  });

  it('refuses a cursor of the same field in the other direction', async () => {
    const user = await api.user();
    await createInOrder(user, [{ title: 'a' }, { title: 'b' }, { title: 'c' }]);
    const asc = await list(user, { orderBy: { field: 'TITLE', direction: 'ASC' }, first: 1 });
    expect(titlesOf(asc)).toEqual(['a']);

    const response = await user.gql(TASKS, {
      orderBy: { field: 'TITLE', direction: 'DESC' },
      first: 5,
      after: asc.pageInfo.endCursor,
    });
    expectValidationError(response, 'after');
  });

  it('refuses first over 100 or negative', async () => {
    const user = await api.user();
    await createTask(user, { title: 'one' });
    for (const first of [101, 1000, -1]) {
      expectValidationError(await user.gql(TASKS, { first }), 'first');
      expectValidationError(await user.gql(OVERDUE, { first }), 'first');
      expectValidationError(await user.gql(UPCOMING, { first }), 'first');
    }
  });
});

describe('tasks: filters', () => {
  const D0 = '2030-01-10T10:00:00.000Z';
  const D1 = '2030-01-11T10:00:00.000Z';
  const D2 = '2030-01-12T10:00:00.000Z';

  async function fixture() {
    const user = await api.user();
    const work = await createLabel(user, 'Category', 'Work');
    const home = await createLabel(user, 'Category', 'Home');
    const tag1 = await createLabel(user, 'Tag', 'one');
    const tag2 = await createLabel(user, 'Tag', 'two');
    const tag3 = await createLabel(user, 'Tag', 'three');
    const [alpha, beta, gamma, delta, epsilon] = await createInOrder(user, [
      { title: 'alpha', priority: 'HIGH', categoryId: work.id, tagIds: [tag1.id], dueAt: D0 },
      { title: 'beta', priority: 'LOW', categoryId: home.id, tagIds: [tag2.id], dueAt: D1 },
      { title: 'gamma', priority: 'URGENT', tagIds: [tag1.id, tag2.id], dueAt: D2 },
      { title: 'delta', categoryId: work.id },
      { title: 'epsilon', priority: 'HIGH', categoryId: home.id, tagIds: [tag3.id], dueAt: D1 },
    ]);
    await completeTask(user, beta!.id);
    await completeTask(user, delta!.id);
    return { user, work, home, tag1, tag2, tag3, alpha, beta, gamma, delta, epsilon };
  }

  it('filters by status, priorities, category, tags and due dates, alone and combined', async () => {
    const { user, work, home, tag1, tag2, tag3 } = await fixture();
    const expectFiltered = async (filter: Vars, titles: string[]) => {
      const connection = await list(user, { filter });
      expect({ filter, titles: titlesOf(connection) }).toEqual({ filter, titles });
      expect(connection.totalCount).toBe(titles.length);
    };

    // Newest first: epsilon, delta, gamma, beta, alpha.
    await expectFiltered({}, ['epsilon', 'delta', 'gamma', 'beta', 'alpha']);
    await expectFiltered({ status: 'ALL' }, ['epsilon', 'delta', 'gamma', 'beta', 'alpha']);
    await expectFiltered({ status: 'PENDING' }, ['epsilon', 'gamma', 'alpha']);
    await expectFiltered({ status: 'COMPLETED' }, ['delta', 'beta']);

    await expectFiltered({ priorities: ['HIGH'] }, ['epsilon', 'alpha']);
    await expectFiltered({ priorities: ['LOW', 'URGENT'] }, ['gamma', 'beta']);
    await expectFiltered({ priorities: ['MEDIUM'] }, ['delta']);

    await expectFiltered({ categoryId: work.id }, ['delta', 'alpha']);
    await expectFiltered({ categoryId: home.id }, ['epsilon', 'beta']);

    await expectFiltered({ tagIds: [tag1.id] }, ['gamma', 'alpha']);
    await expectFiltered({ tagIds: [tag2.id, tag3.id] }, ['epsilon', 'gamma', 'beta']);
    await expectFiltered({ tagIds: [tag1.id, tag2.id] }, ['gamma', 'beta', 'alpha']);

    // dueBefore is strict, dueAfter inclusive; tasks without a due date match neither.
    await expectFiltered({ dueBefore: D1 }, ['alpha']);
    await expectFiltered({ dueBefore: D2 }, ['epsilon', 'beta', 'alpha']);
    await expectFiltered({ dueAfter: D1 }, ['epsilon', 'gamma', 'beta']);
    await expectFiltered({ dueAfter: D2 }, ['gamma']);
    await expectFiltered({ dueAfter: D1, dueBefore: D2 }, ['epsilon', 'beta']);
    await expectFiltered({ dueAfter: D1, dueBefore: D1 }, []);

    await expectFiltered({ status: 'PENDING', priorities: ['HIGH', 'URGENT'], tagIds: [tag1.id] }, [
      'gamma',
      'alpha',
    ]);
    await expectFiltered({ status: 'PENDING', categoryId: home.id, dueAfter: D1 }, ['epsilon']);
    await expectFiltered({ status: 'COMPLETED', categoryId: work.id }, ['delta']);
    await expectFiltered(
      { status: 'ALL', priorities: ['LOW', 'HIGH'], tagIds: [tag2.id, tag3.id], dueBefore: D2 },
      ['epsilon', 'beta'],
    );
    await expectFiltered({ categoryId: work.id, tagIds: [tag2.id] }, []);
  });

  it('filters with an order and paging together', async () => {
    const { user } = await fixture();
    const filter = { status: 'PENDING' };
    const orderBy = { field: 'TITLE', direction: 'ASC' };
    const edges = await walk(user, TASKS, 'tasks', { filter, orderBy }, 2, 3);
    expect(edges.map((edge) => edge.node.title)).toEqual(['alpha', 'epsilon', 'gamma']);
  });

  it('finds nothing for another user’s category or tag', async () => {
    const { work, tag1 } = await fixture();
    const other = await api.user();
    await createTask(other, { title: 'mine' });
    expect(await list(other, { filter: { categoryId: work.id } })).toMatchObject({
      totalCount: 0,
      edges: [],
    });
    expect(await list(other, { filter: { tagIds: [tag1.id] } })).toMatchObject({
      totalCount: 0,
      edges: [],
    });
  });

  it('refuses a malformed categoryId or tag id', async () => {
    const user = await api.user();
    await createTask(user, { title: 'one' });
    expectValidationError(
      await user.gql(TASKS, { filter: { categoryId: 'not-a-uuid' } }),
      'filter.categoryId',
    );
    expectValidationError(
      await user.gql(TASKS, { filter: { tagIds: ['nope'] } }),
      'filter.tagIds.0',
    );
  });
});

describe('overdueTasks and upcomingTasks', () => {
  it('lists pending tasks past their due date, most overdue first', async () => {
    const user = await api.user();
    const other = await api.user();
    await createTask(other, { title: 'someone else’s', dueAt: inMs(-5 * DAY) });
    const tasks = await createInOrder(user, [
      { title: 'a day late', dueAt: inMs(-DAY) },
      { title: 'done late', dueAt: inMs(-2 * DAY) },
      { title: 'an hour late', dueAt: inMs(-HOUR) },
      { title: 'future', dueAt: inMs(DAY) },
      { title: 'three days late', dueAt: inMs(-3 * DAY), priority: 'LOW' },
      { title: 'no due date' },
    ]);
    await completeTask(user, tasks.find((task) => task.title === 'done late')!.id);

    const overdue = await query(user, OVERDUE, 'overdueTasks');
    expect(titlesOf(overdue)).toEqual(['three days late', 'a day late', 'an hour late']);
    expect(overdue.totalCount).toBe(3);
    expect(overdue.pageInfo.hasNextPage).toBe(false);
    // The default reminder of a task created already due is not armed.
    const listed = await user.gql(
      `query { tasks(first: 100) { edges { node { title remindAt } } } }`,
    );
    expect(
      listed.data!.tasks.edges.find((edge: any) => edge.node.title === 'a day late').node.remindAt,
    ).toBeNull();

    const edges = await walk(user, OVERDUE, 'overdueTasks', {}, 2, 3);
    expect(edges.map((edge) => edge.node.title)).toEqual([
      'three days late',
      'a day late',
      'an hour late',
    ]);
  });

  it('lists pending tasks due within the next hours, soonest first', async () => {
    const user = await api.user();
    const other = await api.user();
    await createTask(other, { title: 'someone else’s', dueAt: inMs(2 * HOUR) });
    const tasks = await createInOrder(user, [
      { title: 'in 23 hours', dueAt: inMs(23 * HOUR) },
      { title: 'in 30 minutes', dueAt: inMs(HOUR / 2) },
      { title: 'in 25 hours', dueAt: inMs(25 * HOUR) },
      { title: 'an hour ago', dueAt: inMs(-HOUR) },
      { title: 'done, in 2 hours', dueAt: inMs(2 * HOUR) },
      { title: 'no due date' },
      { title: 'in 100 days', dueAt: inMs(100 * DAY) },
      { title: 'in 400 days', dueAt: inMs(400 * DAY) },
    ]);
    await completeTask(user, tasks.find((task) => task.title === 'done, in 2 hours')!.id);

    const upcoming = async (withinHours?: number) => {
      const connection = await query(user, UPCOMING, 'upcomingTasks', { withinHours });
      expect(connection.totalCount).toBe(connection.edges.length);
      return titlesOf(connection);
    };
    expect(await upcoming()).toEqual(['in 30 minutes', 'in 23 hours']);
    expect(await upcoming(24)).toEqual(['in 30 minutes', 'in 23 hours']);
    expect(await upcoming(1)).toEqual(['in 30 minutes']);
    expect(await upcoming(48)).toEqual(['in 30 minutes', 'in 23 hours', 'in 25 hours']);
    expect(await upcoming(8784)).toEqual([
      'in 30 minutes',
      'in 23 hours',
      'in 25 hours',
      'in 100 days',
    ]);

    const edges = await walk(user, UPCOMING, 'upcomingTasks', { withinHours: 8784 }, 3, 4);
    expect(edges.map((edge) => edge.node.title)).toEqual([
      'in 30 minutes',
      'in 23 hours',
      'in 25 hours',
      'in 100 days',
    ]);
  });

  it('refuses withinHours of 0, negative or over 8784', async () => {
    const user = await api.user();
    for (const withinHours of [0, -1, 8785, 100_000]) {
      expectValidationError(await user.gql(UPCOMING, { withinHours }), 'withinHours');
    }
  });
});
