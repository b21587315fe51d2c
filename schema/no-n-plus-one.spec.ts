import { randomUUID } from 'node:crypto';
import { useTestApi } from '../test/api.ts';

const api = useTestApi();

const PAGE = `query($first: Int) {
  tasks(first: $first) {
    totalCount
    edges { node { id title category { id name taskCount } tags { id name taskCount } } }
  }
}`;

/** Counts the SQL statements the server runs while `work` runs. */
async function statements(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (query: { sql: string }) => seen.push(query.sql);
  api.knex.on('query', listener);
  try {
    await work();
  } finally {
    api.knex.off('query', listener);
  }
  return seen;
}

it('loads the category and tags of a page of tasks in a constant number of statements', async () => {
  const user = await api.user();
  const [{ id: categoryA }, { id: categoryB }] = await api
    .knex('categories')
    .insert([
      { user_id: user.userId, name: 'A', color: '#000000' },
      { user_id: user.userId, name: 'B', color: '#000000' },
    ])
    .returning('id');
  const tags = await api
    .knex('tags')
    .insert(
      Array.from({ length: 5 }, (_, i) => ({
        user_id: user.userId,
        name: `t${i}`,
        color: '#000000',
      })),
    )
    .returning('id');
  const tasks = await api
    .knex('tasks')
    .insert(
      Array.from({ length: 40 }, (_, i) => ({
        user_id: user.userId,
        title: `task ${i}`,
        category_id: i % 2 ? categoryA : categoryB,
      })),
    )
    .returning('id');
  await api
    .knex('task_tags')
    .insert(
      tasks.flatMap(({ id }, i) =>
        tags
          .slice(0, (i % 5) + 1)
          .map((tag) => ({ user_id: user.userId, task_id: id, tag_id: tag.id })),
      ),
    );

  let small: any;
  let large: any;
  const forFive = await statements(async () => (small = await user.gql(PAGE, { first: 5 })));
  const forForty = await statements(async () => (large = await user.gql(PAGE, { first: 40 })));

  expect(small.data.tasks.edges).toHaveLength(5);
  expect(large.data.tasks.edges).toHaveLength(40);
  expect(large.data.tasks.totalCount).toBe(40);
  expect(
    large.data.tasks.edges.every((edge: any) => edge.node.category && edge.node.tags.length > 0),
  ).toBe(true);
  // the page with its totalCount, categories, tags of tasks, category task counts, tag task counts
  expect(forForty).toHaveLength(5);
  expect(forFive).toHaveLength(forForty.length);
});

const DELIVERIES = `query($first: Int) {
  deliveries(first: $first) {
    totalCount
    edges { node { id status channel { id kind ... on WebhookChannel { url } } attemptLog { attempt outcome } } }
  }
}`;

it('loads the channels and attempt logs of a page of deliveries in a constant number of statements', async () => {
  const user = await api.user();
  const channels = await api
    .knex('notification_channels')
    .insert(
      Array.from({ length: 4 }, (_, i) => ({
        user_id: user.userId,
        kind: 'webhook',
        url: `https://hooks.example.com/${i}`,
        webhook_secret: 'whsec_x',
      })),
    )
    .returning('id');
  const deliveries = await api
    .knex('deliveries')
    .insert(
      Array.from({ length: 40 }, (_, i) => ({
        user_id: user.userId,
        channel_id: channels[i % 4].id,
        event_id: randomUUID(),
        event_type: 'reminder.due',
        event: {},
        status: 'delivered',
        attempts: 2,
        finished_at: new Date(),
      })),
    )
    .returning('id');
  await api.knex('delivery_attempts').insert(
    deliveries.flatMap(({ id }) =>
      [1, 2].map((attempt) => ({
        delivery_id: id,
        attempt,
        started_at: new Date(),
        duration_ms: 5,
        outcome: attempt === 2 ? 'delivered' : 'retry',
      })),
    ),
  );

  let small: any;
  let large: any;
  const forFive = await statements(async () => (small = await user.gql(DELIVERIES, { first: 5 })));
  const forForty = await statements(
    async () => (large = await user.gql(DELIVERIES, { first: 40 })),
  );

  expect(small.data.deliveries.edges).toHaveLength(5);
  expect(large.data.deliveries.totalCount).toBe(40);
  const nodes = large.data.deliveries.edges.map((edge: any) => edge.node);
  expect(nodes).toHaveLength(40);
  expect(nodes.every((node: any) => node.channel.url && node.attemptLog.length === 2)).toBe(true);
  // the page, the attempt logs of its deliveries, the total, the channels
  expect(forForty).toHaveLength(4);
  expect(forFive).toHaveLength(forForty.length);
});
