import {
  completeTask,
  createInOrder,
  createLabel,
  createTask,
  expectValidationError,
  useTestApi,
  walkPages,
  type Page,
  type TestUser,
} from '../test/api.ts';

interface FoundTask {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  priority: string;
  createdAt: string;
}

type SearchConnection = Page<{
  cursor: string;
  rank: number | null;
  highlight: string | null;
  node: FoundTask;
}>;

type Vars = Record<string, unknown>;

const NODE = 'id title description completed priority createdAt';
const SEARCH = `query Search($query: String!, $filter: TaskFilterInput, $first: Int, $after: String) {
  searchTasks(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor rank highlight node { ${NODE} } }
  }
}`;
const TASKS = `query Tasks($first: Int) {
  tasks(first: $first) { pageInfo { endCursor } edges { node { id } } }
}`;

const api = useTestApi();

async function search(user: TestUser, query: string, variables: Vars = {}) {
  const response = await user.gql(SEARCH, { query, ...variables });
  expect({ query, errors: response.errors }).toEqual({ query, errors: undefined });
  return response.data!.searchTasks as SearchConnection;
}

/** The titles found for `query`, sorted (for result sets whose ranks tie). */
async function foundTitles(user: TestUser, query: string, variables: Vars = {}) {
  const connection = await search(user, query, variables);
  expect(connection.totalCount).toBe(connection.edges.length);
  return connection.edges.map((edge) => edge.node.title).sort();
}

const titlesOf = (connection: SearchConnection) => connection.edges.map((e) => e.node.title);

/** Walks every page of a search, checking each page's paging fields. */
const walk = (user: TestUser, query: string, variables: Vars, pageSize: number, total: number) =>
  walkPages((first, after) => search(user, query, { ...variables, first, after }), pageSize, total);

describe('searchTasks: ranking and query syntax', () => {
  it('ranks a match in the title above the same word only in the description', async () => {
    const user = await api.user();
    const [inTitle, inDescription] = await createInOrder(user, [
      { title: 'Budget for the offsite', description: 'Book a venue' },
      { title: 'Plan the offsite', description: 'Bring the budget spreadsheet' },
      { title: 'Unrelated chores', description: 'Water the plants' },
    ]);

    for (const query of ['budget', 'budg', 'Budget']) {
      const connection = await search(user, query);
      expect(connection.edges.map((edge) => edge.node.id)).toEqual([
        inTitle!.id,
        inDescription!.id,
      ]);
      expect(connection.totalCount).toBe(2);
      const [first, second] = connection.edges;
      expect(typeof first!.rank).toBe('number');
      expect(typeof second!.rank).toBe('number');
      expect(second!.rank).toBeGreaterThan(0);
      expect(first!.rank).toBeGreaterThan(second!.rank!);
    }
  });

  it('stems words, ignores stop words and case', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Approve the budget' },
      { title: 'Review budgets', description: 'The numbers for the board' },
      { title: 'RUNNING SHOES' },
      { title: 'Call the plumber' },
    ]);

    expect(await foundTitles(user, 'budgets')).toEqual(['Approve the budget', 'Review budgets']);
    expect(await foundTitles(user, 'budget')).toEqual(['Approve the budget', 'Review budgets']);
    expect(await foundTitles(user, 'runs')).toEqual(['RUNNING SHOES']);
    expect(await foundTitles(user, 'BUDGET')).toEqual(['Approve the budget', 'Review budgets']);
    expect(await foundTitles(user, 'BuDgEtS')).toEqual(['Approve the budget', 'Review budgets']);
    expect(await foundTitles(user, 'running shoes')).toEqual(['RUNNING SHOES']);

    // Stop words alone find nothing, though every task contains "the" or "for".
    expect(await search(user, 'the')).toMatchObject({ totalCount: 0, edges: [] });
    expect(await search(user, 'The')).toMatchObject({ totalCount: 0, edges: [] });
    expect(await search(user, 'for the')).toMatchObject({ totalCount: 0, edges: [] });
    // A stop word beside a real word is ignored.
    expect(await foundTitles(user, 'the plumber')).toEqual(['Call the plumber']);
  });

  it('matches a quoted phrase only where its words are adjacent', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Quarterly report due' },
      { title: 'Report on quarterly numbers' },
      { title: 'Quarterly sales report' },
      { title: 'Team sync', description: 'Discuss the quarterly report with finance' },
    ]);

    expect(await foundTitles(user, '"quarterly report"')).toEqual([
      'Quarterly report due',
      'Team sync',
    ]);
    expect(await foundTitles(user, '"report quarterly"')).toEqual([]);
    // A phrase, then the last word typed so far.
    expect(await foundTitles(user, '"quarterly report" du')).toEqual(['Quarterly report due']);
    // Without quotes, both words anywhere.
    expect(await foundTitles(user, 'quarterly report')).toEqual([
      'Quarterly report due',
      'Quarterly sales report',
      'Report on quarterly numbers',
      'Team sync',
    ]);
  });

  it('matches either side of `or`', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Pay invoice' },
      { title: 'Approve budget' },
      { title: 'Call mom' },
    ]);

    const queries = [
      'invoice or budget',
      'budget OR invoice',
      'invoice or "approve budget"',
      // While typing the last word after `or`, it is matched as a prefix.
      'invoice or budg',
      'mom or invoice or budget',
    ];
    const found: Record<string, string[]> = {};
    for (const query of queries) found[query] = await foundTitles(user, query);
    expect(found).toEqual({
      'invoice or budget': ['Approve budget', 'Pay invoice'],
      'budget OR invoice': ['Approve budget', 'Pay invoice'],
      'invoice or "approve budget"': ['Approve budget', 'Pay invoice'],
      'invoice or budg': ['Approve budget', 'Pay invoice'],
      'mom or invoice or budget': ['Approve budget', 'Call mom', 'Pay invoice'],
    });
  });

  it('excludes tasks with a -word', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Report budget' },
      { title: 'Report timeline' },
      { title: 'Report', description: 'includes the budget' },
    ]);

    expect(await foundTitles(user, 'report -budget')).toEqual(['Report timeline']);
    expect(await foundTitles(user, '-budget report')).toEqual(['Report timeline']);
    expect(await foundTitles(user, 'report -budgets')).toEqual(['Report timeline']);
  });

  it('ranks a query with -words as its other words', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Notes', description: 'the quarterly numbers, then the report' },
      { title: 'Quarterly report', description: 'for finance' },
      { title: 'Garden club', description: 'quarterly report for the garden club' },
      { title: 'Summary', description: 'on the report of the quarterly report' },
    ]);
    const positive = await foundTitles(user, 'quarterly report');
    expect([...positive].sort()).toEqual(['Garden club', 'Notes', 'Quarterly report', 'Summary']);
    expect(await foundTitles(user, 'quarterly report -garden')).toEqual(
      positive.filter((title) => title !== 'Garden club'),
    );
    expect([...(await foundTitles(user, '-garden'))].sort()).toEqual([
      'Notes',
      'Quarterly report',
      'Summary',
    ]);
  });

  it('matches the last word as a prefix while typing', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Quarterly report' },
      { title: 'Budget review' },
      { title: 'Buy groceries' },
    ]);

    expect(await foundTitles(user, 'quart')).toEqual(['Quarterly report']);
    expect(await foundTitles(user, 'budg')).toEqual(['Budget review']);
    expect(await foundTitles(user, 'BUDG')).toEqual(['Budget review']);
    expect(await foundTitles(user, 'bu')).toEqual(['Budget review', 'Buy groceries']);
    expect(await foundTitles(user, 'quarterly rep')).toEqual(['Quarterly report']);
    expect(await foundTitles(user, 'budg ')).toEqual(['Budget review']);
    // Only the last word is a prefix.
    expect(await foundTitles(user, 'quart report')).toEqual([]);
    expect(await foundTitles(user, 'budgx')).toEqual([]);
  });
});

describe('searchTasks: filters and paging', () => {
  it('combines the query with status, priorities, category and tags', async () => {
    const user = await api.user();
    const c1 = await createLabel(user, 'Category', 'Finance');
    const c2 = await createLabel(user, 'Category', 'Home');
    const g1 = await createLabel(user, 'Tag', 'q1');
    const g2 = await createLabel(user, 'Tag', 'q2');
    const [, beta, , delta] = await createInOrder(user, [
      { title: 'Budget alpha', priority: 'HIGH', categoryId: c1.id, tagIds: [g1.id] },
      { title: 'Budget beta', priority: 'LOW', categoryId: c1.id, tagIds: [g2.id] },
      { title: 'Budget gamma', priority: 'URGENT', tagIds: [g1.id, g2.id] },
      { title: 'Budget delta', priority: 'HIGH', categoryId: c2.id },
      { title: 'Unrelated', priority: 'HIGH', categoryId: c1.id, tagIds: [g1.id] },
    ]);
    await completeTask(user, beta!.id);
    await completeTask(user, delta!.id);
    const found = (filter: Vars) => foundTitles(user, 'budget', { filter });

    expect(await found({})).toEqual([
      'Budget alpha',
      'Budget beta',
      'Budget delta',
      'Budget gamma',
    ]);
    expect(await found({ status: 'ALL' })).toEqual([
      'Budget alpha',
      'Budget beta',
      'Budget delta',
      'Budget gamma',
    ]);
    expect(await found({ status: 'PENDING' })).toEqual(['Budget alpha', 'Budget gamma']);
    expect(await found({ status: 'COMPLETED' })).toEqual(['Budget beta', 'Budget delta']);
    expect(await found({ priorities: ['HIGH'] })).toEqual(['Budget alpha', 'Budget delta']);
    expect(await found({ priorities: ['LOW', 'URGENT'] })).toEqual(['Budget beta', 'Budget gamma']);
    expect(await found({ categoryId: c1.id })).toEqual(['Budget alpha', 'Budget beta']);
    expect(await found({ categoryId: c2.id })).toEqual(['Budget delta']);
    expect(await found({ tagIds: [g1.id] })).toEqual(['Budget alpha', 'Budget gamma']);
    expect(await found({ tagIds: [g1.id, g2.id] })).toEqual([
      'Budget alpha',
      'Budget beta',
      'Budget gamma',
    ]);
    expect(
      await found({ status: 'PENDING', priorities: ['HIGH'], categoryId: c1.id, tagIds: [g1.id] }),
    ).toEqual(['Budget alpha']);
    expect(await found({ status: 'COMPLETED', tagIds: [g1.id] })).toEqual([]);
    // The same filters with a prefix query.
    expect(await foundTitles(user, 'budg', { filter: { status: 'PENDING' } })).toEqual([
      'Budget alpha',
      'Budget gamma',
    ]);
  });

  it('pages through a result set larger than one page, best first, every hit once', async () => {
    const user = await api.user();
    const tasks = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        createTask(
          user,
          i % 3 === 0
            ? { title: `Budget item ${i}` }
            : i % 3 === 1
              ? { title: `Item ${i}`, description: 'about the budget' }
              : { title: `Budget budget item ${i}`, description: 'budget' },
        ),
      ),
    );
    await Promise.all(
      Array.from({ length: 3 }, (_, i) => createTask(user, { title: `Something else ${i}` })),
    );
    const ids = tasks.map((task) => task.id).sort();

    for (const query of ['budget', 'budg', 'budgets item']) {
      const edges = await walk(user, query, {}, 7, 25);
      const walked = edges.map((edge) => edge.node.id);
      expect([...walked].sort()).toEqual(ids);
      const ranks = edges.map((edge) => edge.rank!);
      expect(ranks.every((rank) => typeof rank === 'number' && rank > 0)).toBe(true);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      const all = await search(user, query, { first: 100 });
      expect(all.edges.map((edge) => edge.node.id)).toEqual(walked);
      expect(all.pageInfo.hasNextPage).toBe(false);
    }

    // Title matches come before description-only matches.
    const edges = await walk(user, 'budget', {}, 7, 25);
    const descriptionOnly = edges.map((edge) => edge.node.title.startsWith('Item '));
    expect(descriptionOnly.indexOf(true)).toBe(descriptionOnly.lastIndexOf(false) + 1);

    // With a filter, totalCount is the filtered total on every page.
    const priorityTasks = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        createTask(user, { title: `Urgent budget ${i}`, priority: 'URGENT' }),
      ),
    );
    const urgent = await walk(user, 'budget', { filter: { priorities: ['URGENT'] } }, 4, 9);
    expect(urgent.map((edge) => edge.node.id).sort()).toEqual(
      priorityTasks.map((task) => task.id).sort(),
    );
  });

  it('refuses a bad cursor, page size or categoryId', async () => {
    const user = await api.user();
    await createInOrder(user, [{ title: 'Budget one' }, { title: 'Budget two' }]);
    const ranked = await search(user, 'budget', { first: 1 });
    const listed = await user.gql(TASKS, { first: 1 });
    const listCursor = listed.data!.tasks.pageInfo.endCursor as string;

    expectValidationError(await user.gql(SEARCH, { query: 'budget', after: 'garbage' }), 'after');
    expectValidationError(await user.gql(SEARCH, { query: 'budget', after: listCursor }), 'after');
    const forged = Buffer.from(JSON.stringify(['rank', 'best', ranked.edges[0]!.node.id]));
    expectValidationError(
      await user.gql(SEARCH, { query: 'budget', after: forged.toString('base64url') }),
      'after',
    );
    expectValidationError(
      await user.gql(SEARCH, { query: '', after: ranked.pageInfo.endCursor }),
      'after',
    );
    expectValidationError(await user.gql(SEARCH, { query: 'budget', first: 101 }), 'first');
    expectValidationError(await user.gql(SEARCH, { query: 'budget', first: -1 }), 'first');
    expectValidationError(
      await user.gql(SEARCH, { query: 'budget', filter: { categoryId: 'nope' } }),
      'filter.categoryId',
    );
  });
});

describe('searchTasks: empty and odd queries', () => {
  it('lists the filtered tasks unranked, newest first, for an empty or blank query', async () => {
    const user = await api.user();
    const [a, b, c] = await createInOrder(user, [
      { title: 'first' },
      { title: 'second', priority: 'HIGH' },
      { title: 'third' },
    ]);
    await completeTask(user, b!.id);

    for (const query of ['', '   ', '\t\n ']) {
      const connection = await search(user, query);
      expect(connection.edges.map((edge) => edge.node.id)).toEqual([c!.id, b!.id, a!.id]);
      expect(connection.edges.map(({ rank, highlight }) => ({ rank, highlight }))).toEqual([
        { rank: null, highlight: null },
        { rank: null, highlight: null },
        { rank: null, highlight: null },
      ]);
      expect(connection.totalCount).toBe(3);

      const pending = await search(user, query, { filter: { status: 'PENDING' } });
      expect(titlesOf(pending)).toEqual(['third', 'first']);
      expect(pending.totalCount).toBe(2);
      const high = await search(user, query, { filter: { priorities: ['HIGH'] } });
      expect(titlesOf(high)).toEqual(['second']);
    }

    const edges = await walk(user, '', {}, 2, 3);
    expect(edges.map((edge) => edge.node.id)).toEqual([c!.id, b!.id, a!.id]);
  });

  it('finds nothing, without an error, for a query of symbols only', async () => {
    const user = await api.user();
    await createInOrder(user, [
      { title: 'Budget & plans', description: 'Costs: 100 | 200 ! ? "quoted" \\ back' },
      { title: 'Or else', description: "it's fine" },
    ]);

    for (const query of [
      '!!! ??? &&& |||',
      ':*',
      "'",
      '\\',
      '\\\\',
      '""',
      '"',
      '-',
      '!',
      '&',
      '|',
      '()',
      '(',
      '<->',
      ':',
      '*',
      "''::*",
      '- - -',
      '!@#$%^&*()_+=[]{};:\'",.<>/?`~',
    ]) {
      const connection = await search(user, query);
      expect({ query, connection }).toEqual({
        query,
        connection: {
          totalCount: 0,
          pageInfo: {
            hasNextPage: false,
            hasPreviousPage: false,
            startCursor: null,
            endCursor: null,
          },
          edges: [],
        },
      });
    }
  });

  it('refuses a query over 500 characters and accepts exactly 500', async () => {
    const user = await api.user();
    await createTask(user, { title: 'Budget review' });
    const long = 'budget '.repeat(100);

    const refused = await user.gql(SEARCH, { query: long.slice(0, 501) });
    expectValidationError(refused, 'query');
    expectValidationError(await user.gql(SEARCH, { query: 'x'.repeat(2000) }), 'query');

    const accepted = await search(user, long.slice(0, 500));
    expect(long.slice(0, 500)).toHaveLength(500);
    expect(titlesOf(accepted)).toEqual(['Budget review']);
    expect(accepted.totalCount).toBe(1);
    expect(await search(user, 'x'.repeat(500))).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('searchTasks: highlight and privacy', () => {
  it('wraps matches in <mark> and HTML-escapes the task text', async () => {
    const user = await api.user();
    const [script, budget, prefix] = await createInOrder(user, [
      { title: 'Review <script>alert(1)</script> invoice' },
      { title: 'Quarterly budget review', description: 'Prepare the budget & forecast' },
      { title: 'Quarterly numbers' },
    ]);

    const highlightOf = async (query: string, id: string) => {
      const connection = await search(user, query);
      const edge = connection.edges.find((e) => e.node.id === id);
      expect(edge).toBeDefined();
      return edge!.highlight!;
    };

    const escaped = await highlightOf('invoice', script!.id);
    expect(escaped).toBe('Review &lt;script&gt;alert(1)&lt;/script&gt; <mark>invoice</mark>');
    expect(await highlightOf('budget', budget!.id)).toBe(
      'Quarterly <mark>budget</mark> review — Prepare the <mark>budget</mark> &amp; forecast',
    );
    expect(await highlightOf('quart', prefix!.id)).toBe('<mark>Quarterly</mark> numbers');

    // Nothing but the <mark> tags is markup.
    for (const [query, id] of [
      ['invoice', script!.id],
      ['budget', budget!.id],
    ] as const) {
      const text = (await highlightOf(query, id))
        .replaceAll('<mark>', '')
        .replaceAll('</mark>', '');
      expect(text).not.toMatch(/[<>]/);
    }
  });

  it('finds words the task text writes inside angle brackets', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 'Refactor <Button> component' });

    const connection = await search(user, 'button');
    expect(connection.edges.map((edge) => edge.node.id)).toEqual([task.id]);
    expect(connection.edges[0]!.highlight).toBe('Refactor &lt;<mark>Button</mark>&gt; component');
  });

  it('never returns another user’s tasks', async () => {
    const owner = await api.user();
    const stranger = await api.user();
    const mine = await createTask(owner, { title: 'Budget mine' });
    const strangers = await createInOrder(stranger, [
      { title: 'Budget theirs' },
      { title: 'Secret', description: 'budget' },
    ]);
    const category = await createLabel(stranger, 'Category', 'Theirs');

    for (const query of ['budget', 'budg', '', 'budget or secret', 'secret']) {
      const connection = await search(owner, query);
      const ids = connection.edges.map((edge) => edge.node.id);
      for (const task of strangers) expect(ids).not.toContain(task.id);
      expect(connection.totalCount).toBe(ids.length);
    }
    expect((await search(owner, 'budget')).edges.map((edge) => edge.node.id)).toEqual([mine.id]);
    expect(await search(owner, 'secret')).toMatchObject({ totalCount: 0, edges: [] });
    expect(await search(owner, 'budget', { filter: { categoryId: category.id } })).toMatchObject({
      totalCount: 0,
      edges: [],
    });
    expect(await foundTitles(stranger, 'budget')).toEqual(['Budget theirs', 'Secret']);
  });
});
