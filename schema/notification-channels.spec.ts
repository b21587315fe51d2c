import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { CHANNEL_LIMITS } from '../model/channels.ts';
import { useTestApi, type TestUser } from '../test/api.ts';

const vapidPublicKey = createECDH('prime256v1').generateKeys('base64url');
/** A production-like API: push configured, private destinations refused, no mailer. */
const api = useTestApi({ channels: { vapidPublicKey } });
/** A development API: private destinations allowed. */
const dev = useTestApi({ channels: { vapidPublicKey, allowPrivateAddresses: true } });
/** An API with no channel configuration at all. */
const bare = useTestApi();

const COMMON = `__typename id kind enabled disabledReason disabledAt failingSince lastSuccessAt createdAt`;
const PUSH = `${COMMON} endpoint`;
const WEBHOOK = `${COMMON} url eventTypes description`;
const EMAIL = `${COMMON} address verified`;
const CHANNEL = `${COMMON} ... on PushChannel { endpoint }
  ... on WebhookChannel { url eventTypes description } ... on EmailChannel { address verified }`;
const ERRORS = `__typename ... on Error { message } ... on ValidationError { field }
  ... on NotFoundError { entity id } ... on LimitExceededError { limit max }`;
const LIST = `{ notificationChannels { ${CHANNEL} } }`;

const REGISTER = `mutation($input: PushSubscriptionInput!) {
  registerPushSubscription(input: $input) { ${ERRORS} ... on RegisterPushSubscriptionSuccess { channel { ${PUSH} } } }
}`;
const REMOVE_PUSH = `mutation($endpoint: String!) {
  removePushSubscription(endpoint: $endpoint) { ${ERRORS} ... on RemovePushSubscriptionSuccess { channel { ${PUSH} } } }
}`;
const CREATE_WEBHOOK = `mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { ${ERRORS} ... on CreateWebhookSuccess { secret webhook { ${WEBHOOK} } } }
}`;
const UPDATE_WEBHOOK = `mutation($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) { ${ERRORS} ... on UpdateWebhookSuccess { webhook { ${WEBHOOK} } } }
}`;
const ROTATE = `mutation($id: ID!) {
  rotateWebhookSecret(id: $id) { ${ERRORS} ... on RotateWebhookSecretSuccess { secret webhook { ${WEBHOOK} } } }
}`;
const DELETE_WEBHOOK = `mutation($id: ID!) {
  deleteWebhook(id: $id) { ${ERRORS} ... on DeleteWebhookSuccess { webhook { ${WEBHOOK} } } }
}`;
const SET_EMAIL = `mutation($address: String!) {
  setEmailChannel(address: $address) { ${ERRORS} ... on SetEmailChannelSuccess { channel { ${EMAIL} } } }
}`;
const REMOVE_EMAIL = `mutation {
  removeEmailChannel { ${ERRORS} ... on RemoveEmailChannelSuccess { channel { ${EMAIL} } } }
}`;

/** Runs an operation, expects no GraphQL errors, and returns its one root field. */
async function run(user: TestUser, query: string, variables?: Record<string, unknown>) {
  const response = await user.gql(query, variables);
  expect(response.errors).toBeUndefined();
  return Object.values(response.data!)[0] as Record<string, any>;
}

const channels = async (user: TestUser) => (await run(user, LIST)) as unknown as any[];

/** A subscription as a browser makes it: endpoint and keys, base64url. */
function subscription(endpoint = `https://push.example.com/send/${randomUUID()}`) {
  return {
    endpoint,
    p256dh: createECDH('prime256v1').generateKeys('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}

describe('Web Push subscriptions', () => {
  it('offers the VAPID public key, and null where push is not configured', async () => {
    const user = await api.user();
    expect(await run(user, '{ pushPublicKey }')).toBe(vapidPublicKey);
    expect(await run(await bare.user(), '{ pushPublicKey }')).toBeNull();
  });

  it('registers a subscription, lists it, and refreshes and re-enables it when registered again', async () => {
    const user = await api.user();
    const first = subscription();
    const registered = await run(user, REGISTER, { input: first });
    expect(registered).toMatchObject({
      __typename: 'RegisterPushSubscriptionSuccess',
      channel: {
        __typename: 'PushChannel',
        kind: 'PUSH',
        endpoint: first.endpoint,
        enabled: true,
        disabledReason: null,
      },
    });
    const { id } = registered.channel;
    expect(await channels(user)).toEqual([registered.channel]);

    await api
      .knex('notification_channels')
      .where({ id })
      .update({ enabled: false, disabled_at: new Date(), disabled_reason: 'gone (410)' });
    const again = { ...subscription(first.endpoint) };
    const refreshed = await run(user, REGISTER, { input: again });
    expect(refreshed.channel).toMatchObject({ id, enabled: true, disabledReason: null });
    const row = await api.knex('notification_channels').where({ id }).first();
    expect(row).toMatchObject({ push_p256dh: again.p256dh, push_auth: again.auth });
    expect(await channels(user)).toHaveLength(1);
  });

  it.each([
    ['endpoint', { endpoint: 'http://push.example.com/x' }, 'https'],
    ['endpoint', { endpoint: 'https://127.0.0.1/push/x' }, 'DELIVERY_ALLOW_PRIVATE_ADDRESSES'],
    ['endpoint', { endpoint: `https://push.example.com/${'x'.repeat(2000)}` }, '2000'],
    ['endpoint', { endpoint: 'not a url' }, 'absolute URL'],
    ['p256dh', { p256dh: randomBytes(65).toString('base64url') }, 'P-256'],
    ['p256dh', { p256dh: Buffer.alloc(65, 4).toString('base64url') }, 'P-256'],
    ['p256dh', { p256dh: 'not base64url!' }, 'P-256'],
    [
      'p256dh',
      {
        p256dh: createECDH('prime256v1').generateKeys().subarray(0, 33).toString('base64url'),
      },
      'P-256',
    ],
    ['auth', { auth: randomBytes(15).toString('base64url') }, '16 bytes'],
    ['auth', { auth: '' }, '16 bytes'],
  ])('refuses a bad %s (%#) and stores nothing', async (field, change, says) => {
    const user = await api.user();
    const payload = await run(user, REGISTER, { input: { ...subscription(), ...change } });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: `input.${field}` });
    expect(payload.message).toContain(says);
    expect(await channels(user)).toEqual([]);
  });

  it('refuses to register where push is not configured, saying so', async () => {
    const user = await bare.user();
    const payload = await run(user, REGISTER, { input: subscription() });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'input.endpoint' });
    expect(payload.message).toMatch(/Web Push is not configured/);
    expect(await channels(user)).toEqual([]);
  });

  it('allows http endpoints on private addresses where configuration allows them', async () => {
    const user = await dev.user();
    const endpoint = 'http://127.0.0.1:40123/push/abc';
    const payload = await run(user, REGISTER, { input: subscription(endpoint) });
    expect(payload.channel).toMatchObject({ kind: 'PUSH', endpoint });
  });

  it(`refuses more than ${CHANNEL_LIMITS.pushSubscriptionsPerUser} subscriptions, but still refreshes one`, async () => {
    const user = await api.user();
    const max = CHANNEL_LIMITS.pushSubscriptionsPerUser;
    const existing = subscription();
    await run(user, REGISTER, { input: existing });
    await api.knex('notification_channels').insert(
      Array.from({ length: max - 1 }, (_, i) => ({
        user_id: user.userId,
        kind: 'push',
        url: `https://push.example.com/filler/${i}`,
        push_p256dh: 'x',
        push_auth: 'y',
      })),
    );
    const refused = await run(user, REGISTER, { input: subscription() });
    expect(refused).toMatchObject({
      __typename: 'LimitExceededError',
      limit: 'pushSubscriptionsPerUser',
      max,
    });
    expect(refused.message).toMatch(/remove one/);
    expect(await channels(user)).toHaveLength(max);
    const refreshed = await run(user, REGISTER, { input: subscription(existing.endpoint) });
    expect(refreshed.__typename).toBe('RegisterPushSubscriptionSuccess');
  });

  it('removes a subscription by its endpoint; removing it again is NotFoundError', async () => {
    const user = await api.user();
    const sub = subscription();
    const { channel } = await run(user, REGISTER, { input: sub });
    const removed = await run(user, REMOVE_PUSH, { endpoint: sub.endpoint });
    expect(removed).toEqual({ __typename: 'RemovePushSubscriptionSuccess', channel });
    expect(await channels(user)).toEqual([]);
    expect(await run(user, REMOVE_PUSH, { endpoint: sub.endpoint })).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'NotificationChannel',
      id: sub.endpoint,
    });
  });
});

describe('webhooks', () => {
  const url = () => `https://hooks.example.com/todo/${randomUUID()}`;

  it('creates a webhook with a Standard Webhooks secret shown once, reminders by default', async () => {
    const user = await api.user();
    const target = url();
    const created = await run(user, CREATE_WEBHOOK, {
      input: { url: target, description: '  Home automation ' },
    });
    expect(created).toMatchObject({
      __typename: 'CreateWebhookSuccess',
      webhook: {
        __typename: 'WebhookChannel',
        kind: 'WEBHOOK',
        url: target,
        eventTypes: ['reminder.due'],
        description: 'Home automation',
        enabled: true,
      },
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(24);
    // The secret works with the reference implementation: what it signs, it verifies.
    const webhook = new Webhook(created.secret);
    const id = `msg_${randomUUID()}`;
    const timestamp = new Date();
    const body = '{"type":"reminder.due"}';
    const signature = webhook.sign(id, timestamp, body);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(webhook.verify(body, headers)).toEqual({ type: 'reminder.due' });
    // Listed without the secret; the secret is stored for the sender.
    const [listed] = await channels(user);
    expect(listed).toEqual(created.webhook);
    expect(JSON.stringify(await channels(user))).not.toContain(created.secret.slice(6));
    const row = await api.knex('notification_channels').where({ id: listed.id }).first();
    expect(row.webhook_secret).toBe(created.secret);
  });

  it('takes a subset of event types, without duplicates', async () => {
    const user = await api.user();
    const created = await run(user, CREATE_WEBHOOK, {
      input: { url: url(), eventTypes: ['task.completed', 'reminder.due', 'task.completed'] },
    });
    expect(created.webhook.eventTypes).toEqual(['task.completed', 'reminder.due']);
  });

  it.each([
    ['url', { url: 'ftp://hooks.example.com/x' }, 'https or http'],
    ['url', { url: 'https://user:pw@hooks.example.com/x' }, 'credentials'],
    ['url', { url: 'https://hooks.example.com/x#part' }, 'fragment'],
    ['url', { url: 'https://hooks.example.com/x#' }, 'fragment'],
    ['url', { url: `https://hooks.example.com/${'x'.repeat(2000)}` }, '2000'],
    ['url', { url: '/relative' }, 'absolute URL'],
    ['eventTypes', { eventTypes: [] }, 'at least one'],
    ['eventTypes.0', { eventTypes: ['reminder.fired'] }, 'reminder.due'],
    ['description', { description: 'x'.repeat(201) }, '200'],
  ])('refuses a bad %s (%#) and creates nothing', async (field, change, says) => {
    const user = await api.user();
    const payload = await run(user, CREATE_WEBHOOK, { input: { url: url(), ...change } });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: `input.${field}` });
    expect(payload.message).toContain(says);
    expect(await channels(user)).toEqual([]);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://127.1/hook',
    'http://0/hook',
    'http://10.1.2.3/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://localhost:3000/hook',
    'http://LOCALHOST./hook',
    'http://api.localhost/hook',
  ])('refuses the private destination %s unless configuration allows it', async (target) => {
    const user = await api.user();
    const payload = await run(user, CREATE_WEBHOOK, { input: { url: target } });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'input.url' });
    expect(payload.message).toMatch(/private, loopback or link-local/);
    expect(payload.message).toContain('DELIVERY_ALLOW_PRIVATE_ADDRESSES');
    expect(await channels(user)).toEqual([]);

    const developer = await dev.user();
    const allowed = await run(developer, CREATE_WEBHOOK, { input: { url: target } });
    expect(allowed.__typename).toBe('CreateWebhookSuccess');
  });

  it('accepts public IP literals and plain http', async () => {
    const user = await api.user();
    for (const target of ['http://93.184.215.14/hook', 'https://[2606:4700::1111]/hook']) {
      expect((await run(user, CREATE_WEBHOOK, { input: { url: target } })).__typename).toBe(
        'CreateWebhookSuccess',
      );
    }
  });

  it('updates only the given fields; disabling says why, enabling clears the failure streak', async () => {
    const user = await api.user();
    const { webhook } = await run(user, CREATE_WEBHOOK, {
      input: { url: url(), description: 'note' },
    });
    const target = url();
    const updated = await run(user, UPDATE_WEBHOOK, {
      id: webhook.id,
      input: { url: target, eventTypes: ['task.created'] },
    });
    expect(updated.webhook).toEqual({ ...webhook, url: target, eventTypes: ['task.created'] });

    const cleared = await run(user, UPDATE_WEBHOOK, {
      id: webhook.id,
      input: { description: null },
    });
    expect(cleared.webhook.description).toBeNull();

    const disabled = await run(user, UPDATE_WEBHOOK, { id: webhook.id, input: { enabled: false } });
    expect(disabled.webhook).toMatchObject({ enabled: false, disabledReason: /Disabled by you/ });
    expect(disabled.webhook.disabledAt).not.toBeNull();

    await api
      .knex('notification_channels')
      .where({ id: webhook.id })
      .update({ failing_since: new Date(Date.now() - 3_600_000) });
    const enabled = await run(user, UPDATE_WEBHOOK, { id: webhook.id, input: { enabled: true } });
    expect(enabled.webhook).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
  });

  it('refuses a bad update and changes nothing', async () => {
    const user = await api.user();
    const { webhook } = await run(user, CREATE_WEBHOOK, { input: { url: url() } });
    const refused = await run(user, UPDATE_WEBHOOK, {
      id: webhook.id,
      input: { url: 'http://127.0.0.1/x', eventTypes: ['task.created'] },
    });
    expect(refused).toMatchObject({ __typename: 'ValidationError', field: 'input.url' });
    expect(await channels(user)).toEqual([webhook]);
    const badId = await run(user, UPDATE_WEBHOOK, { id: 'nope', input: { enabled: false } });
    expect(badId).toMatchObject({ __typename: 'ValidationError', field: 'id' });
  });

  it('rotates the secret: a new one is stored in place of the old one', async () => {
    const user = await api.user();
    const created = await run(user, CREATE_WEBHOOK, { input: { url: url() } });
    const rotated = await run(user, ROTATE, { id: created.webhook.id });
    expect(rotated.__typename).toBe('RotateWebhookSecretSuccess');
    expect(rotated.webhook.id).toBe(created.webhook.id);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(rotated.secret).not.toBe(created.secret);
    const row = await api.knex('notification_channels').where({ id: created.webhook.id }).first();
    expect(row.webhook_secret).toBe(rotated.secret);
  });

  it('deletes a webhook; deleting, updating or rotating it afterwards is NotFoundError', async () => {
    const user = await api.user();
    const { webhook } = await run(user, CREATE_WEBHOOK, { input: { url: url() } });
    expect(await run(user, DELETE_WEBHOOK, { id: webhook.id })).toEqual({
      __typename: 'DeleteWebhookSuccess',
      webhook,
    });
    expect(await channels(user)).toEqual([]);
    const notFound = {
      __typename: 'NotFoundError',
      entity: 'NotificationChannel',
      id: webhook.id,
    };
    expect(await run(user, DELETE_WEBHOOK, { id: webhook.id })).toMatchObject(notFound);
    expect(await run(user, ROTATE, { id: webhook.id })).toMatchObject(notFound);
    expect(
      await run(user, UPDATE_WEBHOOK, { id: webhook.id, input: { enabled: true } }),
    ).toMatchObject(notFound);
  });

  it('does not take a push subscription’s id as a webhook', async () => {
    const user = await api.user();
    const { channel } = await run(user, REGISTER, { input: subscription() });
    expect(await run(user, DELETE_WEBHOOK, { id: channel.id })).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'NotificationChannel',
    });
    expect(await channels(user)).toEqual([channel]);
  });

  it(`refuses more than ${CHANNEL_LIMITS.webhooksPerUser} webhooks`, async () => {
    const user = await api.user();
    const max = CHANNEL_LIMITS.webhooksPerUser;
    for (let i = 0; i < max; i++) {
      expect((await run(user, CREATE_WEBHOOK, { input: { url: url() } })).__typename).toBe(
        'CreateWebhookSuccess',
      );
    }
    expect(await run(user, CREATE_WEBHOOK, { input: { url: url() } })).toMatchObject({
      __typename: 'LimitExceededError',
      limit: 'webhooksPerUser',
      max,
    });
    expect(await channels(user)).toHaveLength(max);
  });
});

describe('email', () => {
  it('refuses an address where email is not configured, and has none to remove', async () => {
    const user = await api.user();
    const refused = await run(user, SET_EMAIL, { address: 'me@example.com' });
    expect(refused).toMatchObject({ __typename: 'ValidationError', field: 'address' });
    expect(refused.message).toContain('SMTP_URL');
    expect(await run(user, REMOVE_EMAIL)).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'NotificationChannel',
    });
  });

  it('lists an email channel with its address and whether it is confirmed', async () => {
    const user = await api.user();
    await api.knex('notification_channels').insert({
      user_id: user.userId,
      kind: 'email',
      email_address: 'me@example.com',
    });
    expect(await channels(user)).toEqual([
      expect.objectContaining({
        __typename: 'EmailChannel',
        kind: 'EMAIL',
        address: 'me@example.com',
        verified: false,
      }),
    ]);
    const removed = await run(user, REMOVE_EMAIL);
    expect(removed.channel).toMatchObject({ address: 'me@example.com' });
    expect(await channels(user)).toEqual([]);
  });
});
