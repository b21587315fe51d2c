import type { Knex } from 'knex';
import { inHours, useTestApi, type TestUser } from '../test/api.ts';
import { seededRandom as random, type SeededRandom as Random } from '../test/seeded-random.ts';

const api = useTestApi();

const WORDS = ['budget', 'report', 'invoice', 'review', 'garden', 'budgie', 'reporter'];
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/** Inserts `count` tasks with random fields, categories and tags for `userId`. */
async function seed(knex: Knex, userId: string, rnd: Random, count: number) {
  const labels = (table: string) =>
    knex(table)
      .insert([0, 1, 2].map((i) => ({ user_id: userId, name: `${table} ${i}`, color: '#000000' })))
      .returning('id');
  const categories: { id: string }[] = await labels('categories');
  const tags: { id: string }[] = await labels('tags');
  const tasks: { id: string }[] = await knex('tasks')
    .insert(
      Array.from({ length: count }, (_, i) => {
        const completed = rnd.next() < 0.3;
        return {
          user_id: userId,
          title: `${rnd.pick(WORDS)} ${rnd.pick(WORDS)} ${i}`,
          description: rnd.next() < 0.7 ? `about the ${rnd.pick(WORDS)}` : null,
          priority: rnd.pick(PRIORITIES),
          completed,
          completed_at: completed ? new Date() : null,
          due_at: rnd.next() < 0.7 ? inHours(rnd.int(200) - 100) : null,
          category_id: rnd.next() < 0.6 ? rnd.pick(categories).id : null,
        };
      }),
    )
    .returning('id');
  const links = tasks.flatMap((task) =>
    rnd.some(tags).map((tag) => ({ user_id: userId, task_id: task.id, tag_id: tag.id })),
  );
  if (links.length) await knex('task_tags').insert(links);
  return { categories: categories.map((c) => c.id), tags: tags.map((t) => t.id) };
}

interface Filter {
  status?: 'ALL' | 'PENDING' | 'COMPLETED';
  priorities?: string[];
  categoryId?: string;
  tagIds?: string[];
  dueBefore?: string;
  dueAfter?: string;
}

function randomFilter(rnd: Random, labels: { categories: string[]; tags: string[] }): Filter {
  const filter: Filter = {};
  if (rnd.next() < 0.6) filter.status = rnd.pick(['ALL', 'PENDING', 'COMPLETED'] as const);
  if (rnd.next() < 0.5) filter.priorities = rnd.some(PRIORITIES).map((p) => p.toUpperCase());
  if (rnd.next() < 0.3) filter.categoryId = rnd.pick(labels.categories);
  if (rnd.next() < 0.3) filter.tagIds = rnd.some(labels.tags);
  if (rnd.next() < 0.3) filter.dueBefore = inHours(rnd.int(200) - 100);
  if (rnd.next() < 0.3) filter.dueAfter = inHours(rnd.int(200) - 120);
  return filter;
}

/** The plain count the total must equal, written independently of the API's queries. */
async function plainCount(knex: Knex, userId: string, filter: Filter, search?: string) {
  const query = knex('tasks').where('user_id', userId);
  if (filter.status === 'PENDING') query.where('completed', false);
  if (filter.status === 'COMPLETED') query.where('completed', true);
  if (filter.priorities?.length)
    query.whereIn(
      'priority',
      filter.priorities.map((p) => p.toLowerCase()),
    );
  if (filter.categoryId) query.where('category_id', filter.categoryId);
  if (filter.tagIds?.length)
    query.whereIn('id', knex('task_tags').whereIn('tag_id', filter.tagIds).select('task_id'));
  if (filter.dueBefore) query.where('due_at', '<', filter.dueBefore);
  if (filter.dueAfter) query.where('due_at', '>=', filter.dueAfter);
  if (search) query.whereRaw(`search_vector @@ to_tsquery('english', ?)`, [search]);
  const row = await query.count({ n: '*' }).first();
  return Number(row!.n);
}

/** Search terms as typed, and the same query written as a plain tsquery. */
const SEARCHES: [string, string][] = [
  ['budget', 'budget:*'],
  ['budg', 'budg:*'],
  ['report -budget', 'report & !budget'],
  ['"report"', 'report'],
  ['-review', '!review'],
  ['garden or invoice', 'garden | invoice:*'],
];

const LIST = `query($filter: TaskFilterInput, $first: Int, $after: String) {
  tasks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { endCursor } }
}`;
const SEARCH = `query($q: String!, $filter: TaskFilterInput, $first: Int, $after: String) {
  searchTasks(query: $q, filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { endCursor }
  }
}`;

async function totals(user: TestUser, query: string, variables: Record<string, unknown>) {
  const field = query === LIST ? 'tasks' : 'searchTasks';
  const first = await user.gql(query, variables);
  expect(first.errors).toBeUndefined();
  const page = first.data![field];
  const after = page.pageInfo.endCursor;
  if (!after) return [page.totalCount];
  const second = await user.gql(query, { ...variables, after });
  expect(second.errors).toBeUndefined();
  return [page.totalCount, second.data![field].totalCount];
}

describe('totalCount is exact for random filters', () => {
  const SEED = Number(process.env.TOTALS_SEED ?? 20261130);

  it(`equals a plain count for tasks and searchTasks (seed ${SEED})`, async () => {
    const rnd = random(SEED);
    const user = await api.user('totals');
    const other = await api.user('totals-other');
    const labels = await seed(api.knex, user.userId, rnd, 240);
    await seed(api.knex, other.userId, rnd, 120);

    for (let i = 0; i < 40; i++) {
      const filter = randomFilter(rnd, labels);
      const first = rnd.pick([0, 1, 3, 20]);
      const expected = await plainCount(api.knex, user.userId, filter);
      const listed = await totals(user, LIST, { filter, first });
      expect({ i, filter, first, totals: listed }).toEqual({
        i,
        filter,
        first,
        totals: listed.map(() => expected),
      });

      const [q, plain] = rnd.pick(SEARCHES);
      const found = await plainCount(api.knex, user.userId, filter, plain);
      const searched = await totals(user, SEARCH, { q, filter, first });
      expect({ i, q, filter, first, totals: searched }).toEqual({
        i,
        q,
        filter,
        first,
        totals: searched.map(() => found),
      });
    }
  });
});
