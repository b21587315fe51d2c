import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import {
  inHours,
  LABEL_FIELDS,
  MUTATIONS,
  TASK_FIELDS,
  useTestApi,
  type MutationName,
  type TestUser,
} from '../test/api.ts';

/**
 * Two users, alice and bob, share the server and the database; neither can see, change or refer
 * to the other's tasks, categories or tags, and the other's rows answer exactly like rows that
 * do not exist.
 */

const api = useTestApi({
  channels: { vapidPublicKey: createECDH('prime256v1').generateKeys('base64url') },
});

const TASK = `query($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;
const ids = (connection: { edges: { node: { id: string } }[] }) =>
  connection.edges.map((edge) => edge.node.id);
const LISTS = `query($search: String!, $filter: TaskFilterInput) {
  tasks(first: 100, filter: $filter) { totalCount edges { node { id } } }
  searchTasks(query: $search, first: 100) { totalCount edges { node { id } } }
  overdueTasks(first: 100) { totalCount edges { node { id } } }
  upcomingTasks(first: 100, withinHours: 8784) { totalCount edges { node { id } } }
  categories { ${LABEL_FIELDS} }
  tags { ${LABEL_FIELDS} }
}`;
/** Everything alice can read about her data, to compare before and after bob's attempts. */
const SNAPSHOT = `query($task: ID!, $overdue: ID!) {
  task: task(id: $task) { ${TASK_FIELDS} }
  overdue: task(id: $overdue) { ${TASK_FIELDS} }
  categories { ${LABEL_FIELDS} }
  tags { ${LABEL_FIELDS} }
}`;

async function ok<T = any>(user: TestUser, query: string, variables?: Record<string, unknown>) {
  const response = await user.gql<T>(query, variables);
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data!;
}

/** Runs mutation `name` and returns its result payload. */
async function mutate(user: TestUser, name: MutationName, variables: Record<string, unknown>) {
  const data = await ok(user, MUTATIONS[name], variables);
  return data[name] as Record<string, any>;
}

async function success(user: TestUser, name: MutationName, variables: Record<string, unknown>) {
  const payload = await mutate(user, name, variables);
  expect(payload.__typename).toMatch(/Success$/);
  return payload;
}

const notFound = (entity: 'Task' | 'Category' | 'Tag', id: string) => ({
  __typename: 'NotFoundError',
  entity,
  id,
  message: `${entity} ${id} does not exist.`,
});

/**
 * Runs mutation `name` once with alice's id and once with a random uuid, and expects both to
 * answer the same NotFoundError, naming the id each was given.
 */
async function expectSameNotFound(
  user: TestUser,
  name: MutationName,
  entity: 'Task' | 'Category' | 'Tag',
  foreignId: string,
  variablesFor: (id: string) => Record<string, unknown>,
) {
  const randomId = randomUUID();
  const foreign = await mutate(user, name, variablesFor(foreignId));
  const missing = await mutate(user, name, variablesFor(randomId));
  expect(missing).toEqual(notFound(entity, randomId));
  expect(foreign).toEqual(notFound(entity, foreignId));
  expect(foreign.message.replace(foreignId, '<id>')).toBe(
    missing.message.replace(randomId, '<id>'),
  );
}

describe('two users cannot see or touch each other’s data', () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceCategory: Record<string, any>;
  let aliceTag: Record<string, any>;
  let aliceTask: Record<string, any>;
  let aliceOverdue: Record<string, any>;
  let bobTask: Record<string, any>;
  let bobTag: Record<string, any>;
  let before: Record<string, any>;
  const word = `zebra${randomUUID().slice(0, 8)}`;
  const snapshot = () => ok(alice, SNAPSHOT, { task: aliceTask.id, overdue: aliceOverdue.id });

  beforeAll(async () => {
    alice = await api.user('alice');
    bob = await api.user('bob');
    aliceCategory = (
      await success(alice, 'createCategory', { input: { name: 'Work', color: '#112233' } })
    ).category;
    aliceTag = (await success(alice, 'createTag', { input: { name: 'urgent', color: '#445566' } }))
      .tag;
    aliceTask = (
      await success(alice, 'createTask', {
        input: {
          title: `Quarterly ${word} report`,
          description: 'Numbers for the board',
          priority: 'HIGH',
          dueAt: inHours(48),
          remindBeforeMinutes: 120,
          categoryId: aliceCategory.id,
          tagIds: [aliceTag.id],
          idempotencyKey: 'shared-key',
        },
      })
    ).task;
    aliceOverdue = (
      await success(alice, 'createTask', {
        input: {
          title: `Overdue ${word} invoice`,
          dueAt: inHours(-24),
          categoryId: aliceCategory.id,
        },
      })
    ).task;
    bobTag = (await success(bob, 'createTag', { input: { name: 'mine', color: '#778899' } })).tag;
    bobTask = (
      await success(bob, 'createTask', {
        input: { title: `Bob's ${word} notes`, dueAt: inHours(3), tagIds: [bobTag.id] },
      })
    ).task;
    before = await snapshot();
  });

  it('sets up alice’s data as described (so the checks below are meaningful)', async () => {
    expect(aliceTask).toMatchObject({
      title: `Quarterly ${word} report`,
      category: { id: aliceCategory.id, name: 'Work' },
      tags: [{ id: aliceTag.id, name: 'urgent' }],
      remindBeforeMinutes: 120,
      version: 1,
    });
    expect(aliceTask.dueAt).not.toBeNull();
    expect(aliceTask.remindAt).not.toBeNull();
    const lists = await ok(alice, LISTS, { search: word });
    expect(ids(lists.tasks).sort()).toEqual([aliceTask.id, aliceOverdue.id].sort());
    expect(ids(lists.searchTasks).sort()).toEqual([aliceTask.id, aliceOverdue.id].sort());
    expect(ids(lists.overdueTasks)).toEqual([aliceOverdue.id]);
    expect(ids(lists.upcomingTasks)).toEqual([aliceTask.id]);
    expect(lists.categories.map((c: any) => c.id)).toEqual([aliceCategory.id]);
    expect(lists.tags.map((t: any) => t.id)).toEqual([aliceTag.id]);
  });

  it('answers task(id) with alice’s id exactly like a random uuid: null', async () => {
    const foreign = await bob.gql(TASK, { id: aliceTask.id });
    const missing = await bob.gql(TASK, { id: randomUUID() });
    expect(foreign).toEqual({ status: 200, data: { task: null }, errors: undefined });
    expect(foreign).toEqual(missing);
    const overdue = await bob.gql(TASK, { id: aliceOverdue.id });
    expect(overdue).toEqual({ status: 200, data: { task: null }, errors: undefined });
  });

  it('shows bob none of alice’s rows in any list, search or label query', async () => {
    const lists = await ok(bob, LISTS, { search: word });
    expect(lists.tasks).toEqual({ totalCount: 1, edges: [{ node: { id: bobTask.id } }] });
    expect(lists.searchTasks).toEqual({ totalCount: 1, edges: [{ node: { id: bobTask.id } }] });
    expect(lists.overdueTasks).toEqual({ totalCount: 0, edges: [] });
    expect(lists.upcomingTasks).toEqual({ totalCount: 1, edges: [{ node: { id: bobTask.id } }] });
    expect(lists.categories).toEqual([]);
    expect(lists.tags.map((t: any) => t.id)).toEqual([bobTag.id]);
  });

  it('finds nothing when bob searches for alice’s exact title or filters by her labels', async () => {
    const search = await ok(
      bob,
      `query($q: String!) { searchTasks(query: $q) { totalCount edges { node { id } } } }`,
      { q: `"Quarterly ${word} report"` },
    );
    expect(search.searchTasks).toEqual({ totalCount: 0, edges: [] });
    for (const filter of [{ categoryId: aliceCategory.id }, { tagIds: [aliceTag.id] }]) {
      const lists = await ok(bob, LISTS, { search: '', filter });
      expect(lists.tasks).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it('answers every task mutation on alice’s task with NotFoundError, as for a random id', async () => {
    const cases: [MutationName, (id: string) => Record<string, unknown>][] = [
      ['updateTask', (id) => ({ id, input: { title: 'Hijacked' } })],
      ['completeTask', (id) => ({ id })],
      ['reopenTask', (id) => ({ id })],
      ['deleteTask', (id) => ({ id })],
      ['setReminder', (id) => ({ taskId: id, remindBeforeMinutes: 30 })],
      ['setReminder', (id) => ({ taskId: id, remindAt: inHours(1) })],
      ['clearReminder', (id) => ({ taskId: id })],
      ['addTagToTask', (id) => ({ taskId: id, tagId: bobTag.id })],
      ['addTagToTask', (id) => ({ taskId: id, tagId: aliceTag.id })],
      ['removeTagFromTask', (id) => ({ taskId: id, tagId: aliceTag.id })],
      ['removeTagFromTask', (id) => ({ taskId: id, tagId: bobTag.id })],
    ];
    for (const [name, variablesFor] of cases) {
      await expectSameNotFound(bob, name, 'Task', aliceTask.id, variablesFor);
    }
  });

  it('refuses alice’s category or tags in bob’s createTask with NotFoundError', async () => {
    const title = `Sneaky ${randomUUID()}`;
    await expectSameNotFound(bob, 'createTask', 'Category', aliceCategory.id, (id) => ({
      input: { title, categoryId: id },
    }));
    await expectSameNotFound(bob, 'createTask', 'Tag', aliceTag.id, (id) => ({
      input: { title, tagIds: [id] },
    }));
    await expectSameNotFound(bob, 'createTask', 'Tag', aliceTag.id, (id) => ({
      input: { title, tagIds: [bobTag.id, id] },
    }));
    expect(await api.knex('tasks').where({ title }).select('id')).toEqual([]);
  });

  it('refuses alice’s category or tags in bob’s updateTask with NotFoundError', async () => {
    await expectSameNotFound(bob, 'updateTask', 'Category', aliceCategory.id, (id) => ({
      id: bobTask.id,
      input: { categoryId: id },
    }));
    await expectSameNotFound(bob, 'updateTask', 'Tag', aliceTag.id, (id) => ({
      id: bobTask.id,
      input: { tagIds: [id] },
    }));
    const { task } = await ok(bob, TASK, { id: bobTask.id });
    expect(task).toEqual(bobTask);
  });

  it('refuses addTagToTask(bob’s task, alice’s tag) with NotFoundError Tag', async () => {
    await expectSameNotFound(bob, 'addTagToTask', 'Tag', aliceTag.id, (id) => ({
      taskId: bobTask.id,
      tagId: id,
    }));
    const { task } = await ok(bob, TASK, { id: bobTask.id });
    expect(task.tags).toEqual([{ id: bobTag.id, name: 'mine' }]);
    expect(task.version).toBe(bobTask.version);
  });

  it('treats removeTagFromTask(bob’s task, alice’s tag) like a tag it does not have', async () => {
    const foreign = await success(bob, 'removeTagFromTask', {
      taskId: bobTask.id,
      tagId: aliceTag.id,
    });
    const missing = await success(bob, 'removeTagFromTask', {
      taskId: bobTask.id,
      tagId: randomUUID(),
    });
    expect(foreign).toEqual(missing);
    expect(foreign.task.tags).toEqual([{ id: bobTag.id, name: 'mine' }]);
  });

  it('answers update and delete of alice’s category and tag with NotFoundError', async () => {
    await expectSameNotFound(bob, 'updateCategory', 'Category', aliceCategory.id, (id) => ({
      id,
      input: { name: 'Hijacked', color: '#000000' },
    }));
    await expectSameNotFound(bob, 'deleteCategory', 'Category', aliceCategory.id, (id) => ({ id }));
    await expectSameNotFound(bob, 'updateTag', 'Tag', aliceTag.id, (id) => ({
      id,
      input: { name: 'hijacked' },
    }));
    await expectSameNotFound(bob, 'deleteTag', 'Tag', aliceTag.id, (id) => ({ id }));
  });

  it('lets bob use the names alice uses: names are unique per user only', async () => {
    const category = await success(bob, 'createCategory', {
      input: { name: 'Work', color: '#010203' },
    });
    expect(category.category).toMatchObject({ name: 'Work', color: '#010203', taskCount: 0 });
    expect(category.category.id).not.toBe(aliceCategory.id);
    const tag = await success(bob, 'createTag', { input: { name: 'urgent', color: '#0A0B0C' } });
    expect(tag.tag).toMatchObject({ name: 'urgent', taskCount: 0 });
    expect(tag.tag.id).not.toBe(aliceTag.id);

    // Bob fills his own "Work" category; alice's "Work" still counts only her own tasks.
    for (const n of [1, 2, 3]) {
      await success(bob, 'createTask', {
        input: { title: `Bob work ${n}`, categoryId: category.category.id, tagIds: [tag.tag.id] },
      });
    }
    const bobLabels = await ok(bob, `{ categories { id taskCount } tags { id taskCount } }`);
    expect(bobLabels.categories).toEqual([{ id: category.category.id, taskCount: 3 }]);
    expect(bobLabels.tags).toEqual([
      { id: bobTag.id, taskCount: 1 },
      { id: tag.tag.id, taskCount: 3 },
    ]);
    const aliceLabels = await ok(alice, `{ categories { id taskCount } tags { id taskCount } }`);
    expect(aliceLabels.categories).toEqual([{ id: aliceCategory.id, taskCount: 2 }]);
    expect(aliceLabels.tags).toEqual([{ id: aliceTag.id, taskCount: 1 }]);

    // A name taken by one's own label still conflicts.
    const again = await mutate(bob, 'createCategory', {
      input: { name: 'Work', color: '#010203' },
    });
    expect(again.__typename).toBe('ConflictError');
  });

  it('does not hand bob alice’s task for her idempotency key', async () => {
    const payload = await success(bob, 'createTask', {
      input: { title: 'Bob with the same key', idempotencyKey: 'shared-key' },
    });
    expect(payload.task.id).not.toBe(aliceTask.id);
    expect(payload.task.title).toBe('Bob with the same key');
    const { task } = await ok(bob, TASK, { id: payload.task.id });
    expect(task.title).toBe('Bob with the same key');
  });

  it('leaves alice’s rows exactly as they were', async () => {
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.task).toMatchObject({
      title: `Quarterly ${word} report`,
      version: 1,
      completed: false,
      remindBeforeMinutes: 120,
      category: { id: aliceCategory.id, name: 'Work' },
      tags: [{ id: aliceTag.id, name: 'urgent' }],
    });
    expect(after.categories).toEqual([expect.objectContaining({ name: 'Work', taskCount: 2 })]);
    expect(after.tags).toEqual([expect.objectContaining({ name: 'urgent', taskCount: 1 })]);
    // Nothing of bob's points at alice's rows.
    expect(
      await api.knex('task_tags').where({ tag_id: aliceTag.id }).select('user_id', 'task_id'),
    ).toEqual([{ user_id: alice.userId, task_id: aliceTask.id }]);
    expect(
      await api.knex('tasks').where({ category_id: aliceCategory.id }).distinct('user_id'),
    ).toEqual([{ user_id: alice.userId }]);
  });
});

describe('two users cannot see or touch each other’s notification channels, deliveries or reminders', () => {
  const ERRORS = `__typename ... on Error { message } ... on NotFoundError { entity id }`;
  const CHANNEL_LIST = `notificationChannels { id kind enabled ... on WebhookChannel { url eventTypes description } ... on PushChannel { endpoint } }`;
  const CHANNELS = `{ ${CHANNEL_LIST} }`;
  const DELIVERIES = `query($channelId: ID) {
    deliveries(first: 100, channelId: $channelId) { totalCount edges { node { id status channel { id } } } }
  }`;
  const OPERATIONS = {
    updateWebhook: `mutation($id: ID!) { updateWebhook(id: $id, input: { url: "https://evil.example.com/", enabled: false }) { ${ERRORS} } }`,
    rotateWebhookSecret: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { ${ERRORS} } }`,
    deleteWebhook: `mutation($id: ID!) { deleteWebhook(id: $id) { ${ERRORS} } }`,
    replayDelivery: `mutation($id: ID!) { replayDelivery(id: $id) { ${ERRORS} } }`,
    snoozeReminder: `mutation($id: ID!) { snoozeReminder(taskId: $id, minutes: 5) { ${ERRORS} } }`,
    dismissReminder: `mutation($id: ID!) { dismissReminder(taskId: $id) { ${ERRORS} } }`,
  };
  const REGISTER = `mutation($input: PushSubscriptionInput!) {
    registerPushSubscription(input: $input) { ${ERRORS} ... on RegisterPushSubscriptionSuccess { channel { id endpoint } } }
  }`;
  const CREATE_WEBHOOK = `mutation($url: String!) {
    createWebhook(input: { url: $url, description: "alice's" }) { ${ERRORS} ... on CreateWebhookSuccess { secret webhook { id } } }
  }`;
  const REMOVE_PUSH = `mutation($endpoint: String!) { removePushSubscription(endpoint: $endpoint) { ${ERRORS} } }`;
  const REMOVE_EMAIL = `mutation { removeEmailChannel { ${ERRORS} } }`;

  let alice: TestUser;
  let bob: TestUser;
  let webhookId: string;
  let deliveryId: string;
  let taskId: string;
  const endpoint = `https://push.example.com/send/${randomUUID()}`;
  const keys = () => ({
    p256dh: createECDH('prime256v1').generateKeys('base64url'),
    auth: randomBytes(16).toString('base64url'),
  });
  /** Everything of alice's the checks below must leave as it was, rows included. */
  const aliceState = async () => ({
    api: await ok(
      alice,
      `query($task: ID!) {
        ${CHANNEL_LIST}
        deliveries(first: 100) { totalCount edges { node { id status channel { id } } } }
        task(id: $task) { ${TASK_FIELDS} }
      }`,
      { task: taskId },
    ),
    channels: await api
      .knex('notification_channels')
      .where({ user_id: alice.userId })
      .orderBy('id'),
    deliveries: await api.knex('deliveries').where({ user_id: alice.userId }).orderBy('id'),
  });
  let before: Awaited<ReturnType<typeof aliceState>>;

  beforeAll(async () => {
    alice = await api.user('alice');
    bob = await api.user('bob');
    await ok(alice, REGISTER, { input: { endpoint, ...keys() } });
    const created = await ok(alice, CREATE_WEBHOOK, { url: 'https://hooks.example.com/alice' });
    webhookId = created.createWebhook.webhook.id;
    await api.knex('notification_channels').insert({
      user_id: alice.userId,
      kind: 'email',
      email_address: 'alice@example.com',
      email_verified_at: new Date(),
    });
    taskId = (
      await success(alice, 'createTask', {
        input: { title: 'Alice’s dentist', dueAt: inHours(24) },
      })
    ).task.id;
    [{ id: deliveryId }] = await api
      .knex('deliveries')
      .insert({
        user_id: alice.userId,
        channel_id: webhookId,
        event_id: randomUUID(),
        event_type: 'reminder.due',
        task_id: taskId,
        event: {},
        status: 'failed',
        attempts: 8,
        finished_at: new Date(),
      })
      .returning('id');
    await api.knex('deliveries').insert({
      user_id: alice.userId,
      channel_id: webhookId,
      event_id: randomUUID(),
      event_type: 'reminder.due',
      task_id: taskId,
      event: {},
      status: 'pending',
      next_attempt_at: new Date(Date.now() + 3_600_000),
    });
    before = await aliceState();
  });

  it('sets up alice’s channels and deliveries as described', () => {
    expect(before.api.notificationChannels.map((c: any) => c.kind).sort()).toEqual([
      'EMAIL',
      'PUSH',
      'WEBHOOK',
    ]);
    expect(before.api.deliveries.totalCount).toBe(2);
    expect(before.api.task.remindAt).not.toBeNull();
  });

  it('shows bob none of alice’s channels or deliveries, even asking for her channel', async () => {
    expect(await ok(bob, CHANNELS)).toEqual({ notificationChannels: [] });
    for (const channelId of [undefined, webhookId]) {
      expect(await ok(bob, DELIVERIES, { channelId })).toEqual({
        deliveries: { totalCount: 0, edges: [] },
      });
    }
  });

  it('answers bob’s changes to alice’s webhook, delivery and reminder exactly as for a random id', async () => {
    const cases: [keyof typeof OPERATIONS, 'NotificationChannel' | 'Delivery' | 'Task', string][] =
      [
        ['updateWebhook', 'NotificationChannel', webhookId],
        ['rotateWebhookSecret', 'NotificationChannel', webhookId],
        ['deleteWebhook', 'NotificationChannel', webhookId],
        ['replayDelivery', 'Delivery', deliveryId],
        ['snoozeReminder', 'Task', taskId],
        ['dismissReminder', 'Task', taskId],
      ];
    for (const [name, entity, foreignId] of cases) {
      const randomId = randomUUID();
      const foreign = (await ok(bob, OPERATIONS[name], { id: foreignId }))[name];
      const missing = (await ok(bob, OPERATIONS[name], { id: randomId }))[name];
      expect([name, foreign]).toEqual([
        name,
        {
          __typename: 'NotFoundError',
          entity,
          id: foreignId,
          message: `${entity} ${foreignId} does not exist.`,
        },
      ]);
      expect(missing).toEqual({
        ...foreign,
        id: randomId,
        message: foreign.message.replace(foreignId, randomId),
      });
    }
  });

  it('does not let bob remove alice’s push subscription or email address', async () => {
    const push = (await ok(bob, REMOVE_PUSH, { endpoint })).removePushSubscription;
    expect(push).toMatchObject({ __typename: 'NotFoundError', entity: 'NotificationChannel' });
    const email = (await ok(bob, REMOVE_EMAIL)).removeEmailChannel;
    expect(email).toMatchObject({ __typename: 'NotFoundError', entity: 'NotificationChannel' });
  });

  it('gives bob a channel of his own when he registers alice’s endpoint', async () => {
    const registered = (await ok(bob, REGISTER, { input: { endpoint, ...keys() } }))
      .registerPushSubscription;
    expect(registered.__typename).toBe('RegisterPushSubscriptionSuccess');
    const alicePush = before.api.notificationChannels.find((c: any) => c.kind === 'PUSH');
    expect(registered.channel.id).not.toBe(alicePush.id);
    expect(await ok(bob, CHANNELS)).toEqual({
      notificationChannels: [{ id: registered.channel.id, kind: 'PUSH', enabled: true, endpoint }],
    });
  });

  it('leaves alice’s channels, secrets, deliveries and reminder exactly as they were', async () => {
    expect(await aliceState()).toEqual(before);
  });
});
