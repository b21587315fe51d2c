import { createInOrder, createTask, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

const SEARCH = `query($q: String!, $first: Int) {
  searchTasks(query: $q, first: $first) { totalCount edges { rank highlight node { id title } } }
}`;

interface Hit {
  rank: number;
  highlight: string;
  node: { id: string; title: string };
}

async function search(user: TestUser, q: string) {
  const response = await user.gql(SEARCH, { q, first: 100 });
  expect({ q, errors: response.errors }).toEqual({ q, errors: undefined });
  const { totalCount, edges } = response.data!.searchTasks as { totalCount: number; edges: Hit[] };
  expect({ q, totalCount }).toEqual({ q, totalCount: edges.length });
  return edges;
}

const titles = async (user: TestUser, q: string) =>
  (await search(user, q)).map((hit) => hit.node.title).sort();

/** Two users whose words overlap, so any expansion over the other's rows would show. */
async function neighbours() {
  const owner = await api.user('owner');
  const other = await api.user('other');
  await createInOrder(owner, [
    { title: 'Budget review', description: 'Quarterly report for the board' },
    { title: 'Water the garden' },
    { title: 'Report to finance', description: 'includes the budget' },
  ]);
  await createInOrder(other, [
    { title: 'Budgie food' },
    { title: 'Budgetary report' },
    { title: 'Garden gnome', description: 'budget for gnomes' },
    { title: 'Reporter interview' },
  ]);
  return { owner, other };
}

describe('searchTasks: the last word as a prefix, over the caller’s tasks only', () => {
  it('expands a prefix to the caller’s own words and counts only the caller’s matches', async () => {
    const { owner, other } = await neighbours();

    expect(await titles(owner, 'budg')).toEqual(['Budget review', 'Report to finance']);
    expect(await titles(owner, 'bu')).toEqual(['Budget review', 'Report to finance']);
    expect(await titles(owner, 'repo')).toEqual(['Budget review', 'Report to finance']);
    expect(await titles(owner, 'gard')).toEqual(['Water the garden']);
    expect(await titles(owner, 'gnom')).toEqual([]);
    expect(await titles(other, 'budg')).toEqual([
      'Budgetary report',
      'Budgie food',
      'Garden gnome',
    ]);
    expect(await titles(other, 'interv')).toEqual(['Reporter interview']);
    expect(await titles(owner, 'interv')).toEqual([]);
  });

  it('matches phrases, `or` and prefixes after a phrase as before', async () => {
    const { owner, other } = await neighbours();

    expect(await titles(owner, '"quarterly report"')).toEqual(['Budget review']);
    expect(await titles(owner, '"report quarterly"')).toEqual([]);
    expect(await titles(owner, '"quarterly report" boa')).toEqual(['Budget review']);
    expect(await titles(owner, 'garden or budgie')).toEqual(['Water the garden']);
    expect(await titles(other, 'garden or budgi')).toEqual(['Budgie food', 'Garden gnome']);
  });
});

describe('searchTasks: negated terms', () => {
  it('leaves out tasks with a -word, also in a query of negated words only', async () => {
    const { owner, other } = await neighbours();

    expect(await titles(owner, 'report -budget')).toEqual([]);
    expect(await titles(owner, 'report -garden')).toEqual(['Budget review', 'Report to finance']);
    expect(await titles(owner, 'budget -finance')).toEqual(['Budget review']);
    // Only negated words: every one of the caller's tasks without them, no one else's.
    expect(await titles(owner, '-budget')).toEqual(['Water the garden']);
    expect(await titles(owner, '-budget -garden')).toEqual([]);
    // ("Reporter" stems to "report".)
    expect(await titles(other, '-budget -report')).toEqual(['Budgie food']);
    // The last word after a minus is not a prefix; a bare last word is.
    expect(await titles(owner, 'report -budg')).toEqual(['Budget review', 'Report to finance']);
    expect(await titles(owner, '-finance budg')).toEqual(['Budget review']);
  });
});

describe('searchTasks: ranks and highlights', () => {
  it('ranks a title match above a description match with ts_rank over the task text', async () => {
    const { owner } = await neighbours();

    for (const q of ['budget', 'budg', 'report', 'repor']) {
      const hits = await search(owner, q);
      expect(hits).toHaveLength(2);
      const [first, second] = hits;
      expect(first!.rank).toBeGreaterThan(second!.rank);
      const plain = `${q}:*`;
      const { rows } = await api.knex.raw(
        `SELECT id, ts_rank(search_vector, to_tsquery('english', ?)) AS rank FROM tasks
         WHERE id = ANY(?::uuid[])`,
        [plain, hits.map((hit) => hit.node.id)],
      );
      const expected = new Map(rows.map((row: { id: string; rank: number }) => [row.id, row.rank]));
      for (const hit of hits) expect(hit.rank).toBeCloseTo(expected.get(hit.node.id) as number, 5);
    }
    expect((await search(owner, 'budget'))[0]!.node.title).toBe('Budget review');
    expect((await search(owner, 'report'))[0]!.node.title).toBe('Report to finance');
  });

  it('keeps a title match above descriptions that repeat the word', async () => {
    const user = await api.user('repeats');
    await createInOrder(user, [
      { title: 'Call the bank', description: 'invoice, then the invoice again, invoice' },
      { title: 'Invoice' },
      { title: 'Notes', description: Array.from({ length: 10 }, () => 'invoice').join(' ') },
    ]);

    for (const q of ['invoice', 'invo']) {
      const hits = await search(user, q);
      expect(hits.map((hit) => hit.node.title)[0]).toBe('Invoice');
      expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
    }
  });

  it('highlights the matched words of prefixes, phrases and plain words, not negated ones', async () => {
    const { owner } = await neighbours();
    const highlight = async (q: string) => (await search(owner, q)).map((hit) => hit.highlight);

    expect(await highlight('budget -finance')).toEqual([
      '<mark>Budget</mark> review — Quarterly report for the board',
    ]);
    expect(await highlight('gard')).toEqual(['Water the <mark>garden</mark>']);
    expect(await highlight('"quarterly report"')).toEqual([
      'Budget review — <mark>Quarterly</mark> <mark>report</mark> for the board',
    ]);
  });
});

describe('searchTasks: odd words in task text', () => {
  it('stores and finds tasks whose words carry quotes, backslashes or run very long', async () => {
    const user = await api.user('odd');
    const long = 'x'.repeat(2040);
    const quoted = await createTask(user, { title: "O'Neil's back\\slash notes" });
    const longWord = await createTask(user, { title: 'Paste', description: `${long} tail words` });

    expect((await search(user, 'neil')).map((hit) => hit.node.id)).toEqual([quoted.id]);
    expect((await search(user, 'slash')).map((hit) => hit.node.id)).toEqual([quoted.id]);
    expect((await search(user, 'tail')).map((hit) => hit.node.id)).toEqual([longWord.id]);
    expect((await search(user, 'past')).map((hit) => hit.node.id)).toEqual([longWord.id]);
  });
});
