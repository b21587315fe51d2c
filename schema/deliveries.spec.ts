import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { expectValidationError, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

const DELIVERY = `id eventId eventType taskId status attempts lastStatusCode lastError lastDurationMs
  createdAt finishedAt
  channel { __typename id kind ... on WebhookChannel { url } }
  attemptLog { attempt startedAt durationMs statusCode error outcome }`;
const PAGE = `query($first: Int, $after: String, $channelId: ID) {
  deliveries(first: $first, after: $after, channelId: $channelId) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${DELIVERY} } }
  }
}`;
const REPLAY = `mutation($id: ID!) {
  replayDelivery(id: $id) {
    __typename ... on Error { message } ... on ValidationError { field } ... on NotFoundError { entity id }
    ... on ReplayDeliverySuccess { delivery { ${DELIVERY} } }
  }
}`;

/** A webhook channel of `userId`, inserted directly. */
async function insertWebhook(knex: Knex, userId: string, url = 'https://hooks.example.com/a') {
  const [row] = await knex('notification_channels')
    .insert({ user_id: userId, kind: 'webhook', url, webhook_secret: 'whsec_x' })
    .returning('id');
  return row.id as string;
}

const BASE = Date.parse('2026-11-01T10:00:00Z');

/**
 * Inserts `count` finished deliveries to `channelId`, one second apart (the last newest), each
 * with as many failed tries as its index modulo 3 plus a successful one.
 */
async function insertDeliveries(
  knex: Knex,
  userId: string,
  channelId: string,
  count: number,
  values: Record<string, unknown> = {},
) {
  const rows = await knex('deliveries')
    .insert(
      Array.from({ length: count }, (_, i) => ({
        user_id: userId,
        channel_id: channelId,
        event_id: randomUUID(),
        event_type: 'reminder.due',
        task_id: randomUUID(),
        event: { type: 'reminder.due' },
        status: 'delivered',
        attempts: (i % 3) + 1,
        last_status_code: 204,
        last_duration_ms: 12,
        created_at: new Date(BASE + i * 1000),
        finished_at: new Date(BASE + i * 1000 + 500),
        ...values,
      })),
    )
    .returning(['id', 'attempts']);
  await knex('delivery_attempts').insert(
    rows.flatMap(({ id, attempts }: { id: string; attempts: number }) =>
      Array.from({ length: attempts }, (_, a) => ({
        delivery_id: id,
        attempt: a + 1,
        started_at: new Date(BASE + a * 100),
        duration_ms: 10 + a,
        status_code: a + 1 === attempts ? 204 : 503,
        error: a + 1 === attempts ? null : 'Service Unavailable',
        outcome: a + 1 === attempts ? 'delivered' : 'retry',
      })),
    ),
  );
  return rows.map((row: { id: string }) => row.id).reverse() as string[];
}

async function page(user: TestUser, variables: Record<string, unknown>) {
  const response = await user.gql(PAGE, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.deliveries;
}

describe('deliveries', () => {
  it('pages the log newest first, each delivery with its channel and every try', async () => {
    const user = await api.user();
    const channelId = await insertWebhook(api.knex, user.userId);
    const newestFirst = await insertDeliveries(api.knex, user.userId, channelId, 7);

    const seen: any[] = [];
    let after: string | undefined;
    for (;;) {
      const connection = await page(user, { first: 3, after });
      expect(connection.totalCount).toBe(7);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== undefined);
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      seen.push(...connection.edges.map((edge: any) => edge.node));
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.edges).toHaveLength(3);
      after = connection.pageInfo.endCursor;
    }
    expect(seen.map((node) => node.id)).toEqual(newestFirst);

    const oldest = seen.at(-1);
    expect(oldest).toMatchObject({
      eventType: 'reminder.due',
      status: 'DELIVERED',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      lastDurationMs: 12,
      createdAt: new Date(BASE).toISOString(),
      finishedAt: new Date(BASE + 500).toISOString(),
      channel: {
        __typename: 'WebhookChannel',
        id: channelId,
        kind: 'WEBHOOK',
        url: 'https://hooks.example.com/a',
      },
    });
    const third = seen.at(-3);
    expect(third.attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 503, outcome: 'RETRY' }),
      expect.objectContaining({ attempt: 2, statusCode: 503, error: 'Service Unavailable' }),
      {
        attempt: 3,
        startedAt: new Date(BASE + 200).toISOString(),
        durationMs: 12,
        statusCode: 204,
        error: null,
        outcome: 'DELIVERED',
      },
    ]);
  });

  it('keeps deliveries created in the same microsecond apart by id', async () => {
    const user = await api.user();
    const channelId = await insertWebhook(api.knex, user.userId);
    const ids = await insertDeliveries(api.knex, user.userId, channelId, 4, {
      created_at: new Date(BASE),
    });
    const first = await page(user, { first: 2 });
    const second = await page(user, { first: 2, after: first.pageInfo.endCursor });
    const listed = [...first.edges, ...second.edges].map((edge: any) => edge.node.id);
    expect(listed.sort()).toEqual([...ids].sort());
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('lists one channel’s deliveries with channelId', async () => {
    const user = await api.user();
    const a = await insertWebhook(api.knex, user.userId, 'https://hooks.example.com/a');
    const b = await insertWebhook(api.knex, user.userId, 'https://hooks.example.com/b');
    const ofA = await insertDeliveries(api.knex, user.userId, a, 2);
    const ofB = await insertDeliveries(api.knex, user.userId, b, 3);
    const onlyB = await page(user, { channelId: b });
    expect(onlyB.totalCount).toBe(3);
    expect(onlyB.edges.map((edge: any) => edge.node.id)).toEqual(ofB);
    expect((await page(user, { channelId: a })).edges.map((edge: any) => edge.node.id)).toEqual(
      ofA,
    );
    expect((await page(user, {})).totalCount).toBe(5);
  });

  it.each([
    ['after', { after: 'not-a-cursor' }],
    ['after', { after: Buffer.from('["delivery","yesterday","x"]').toString('base64url') }],
    [
      'after',
      {
        after: Buffer.from(JSON.stringify(['delivery', 'not a time', randomUUID()])).toString(
          'base64url',
        ),
      },
    ],
    ['channelId', { channelId: 'nope' }],
    ['first', { first: -1 }],
  ])('refuses a bad %s', async (field, variables) => {
    const user = await api.user();
    expectValidationError(await user.gql(PAGE, variables), field);
  });

  it('is empty for a user without deliveries', async () => {
    const user = await api.user();
    expect(await page(user, {})).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });
});

describe('replayDelivery', () => {
  it.each(['delivered', 'failed', 'cancelled'])(
    'sends a %s delivery again: pending, due now, its log kept',
    async (status) => {
      const user = await api.user();
      const channelId = await insertWebhook(api.knex, user.userId);
      const [id] = await insertDeliveries(api.knex, user.userId, channelId, 1, { status });
      const before = Date.now();
      const response = await user.gql(REPLAY, { id });
      expect(response.errors).toBeUndefined();
      const { replayDelivery } = response.data!;
      expect(replayDelivery.__typename).toBe('ReplayDeliverySuccess');
      expect(replayDelivery.delivery).toMatchObject({
        id,
        status: 'PENDING',
        finishedAt: null,
        attempts: 1,
        attemptLog: [expect.objectContaining({ attempt: 1 })],
      });
      const row = await api.knex('deliveries').where({ id }).first();
      expect(row.status).toBe('pending');
      expect(row.finished_at).toBeNull();
      expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now());
      expect(row.next_attempt_at.getTime()).toBeGreaterThan(before - 60_000);
    },
  );

  it.each(['pending', 'sending'])(
    'refuses a %s delivery: it is still in progress',
    async (status) => {
      const user = await api.user();
      const channelId = await insertWebhook(api.knex, user.userId);
      const next = new Date(Date.now() + 60_000);
      const [id] = await insertDeliveries(api.knex, user.userId, channelId, 1, {
        status,
        next_attempt_at: next,
        finished_at: null,
      });
      const { replayDelivery } = (await user.gql(REPLAY, { id })).data!;
      expect(replayDelivery).toMatchObject({ __typename: 'ValidationError', field: 'id' });
      expect(replayDelivery.message).toContain('still in progress');
      const row = await api.knex('deliveries').where({ id }).first();
      expect(row).toMatchObject({ status, next_attempt_at: next });
    },
  );

  it('refuses a delivery of a disabled channel, saying how to enable it', async () => {
    const user = await api.user();
    const channelId = await insertWebhook(api.knex, user.userId);
    const [id] = await insertDeliveries(api.knex, user.userId, channelId, 1, {
      status: 'failed',
    });
    await api
      .knex('notification_channels')
      .where({ id: channelId })
      .update({ enabled: false, disabled_reason: 'failing for days', disabled_at: new Date() });
    const { replayDelivery } = (await user.gql(REPLAY, { id })).data!;
    expect(replayDelivery).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    expect(replayDelivery.message).toMatch(/disabled \(failing for days\).*updateWebhook/);
    expect((await api.knex('deliveries').where({ id }).first()).status).toBe('failed');
  });

  it('answers NotFoundError for an unknown delivery, ValidationError for a malformed id', async () => {
    const user = await api.user();
    const id = randomUUID();
    expect((await user.gql(REPLAY, { id })).data!.replayDelivery).toEqual({
      __typename: 'NotFoundError',
      entity: 'Delivery',
      id,
      message: `Delivery ${id} does not exist.`,
    });
    expect((await user.gql(REPLAY, { id: 'nope' })).data!.replayDelivery).toMatchObject({
      __typename: 'ValidationError',
      field: 'id',
    });
  });
});
