import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import webPush from 'web-push';
import { newEvent } from '../../../model/events/new-event.ts';
import type { VapidKeys } from '../../../model/channels.ts';
import { sampleSnapshot } from '../../../test/events.ts';
import { startPushService, type PushService } from '../../../test/push-service.ts';
import type { BrowserSubscription } from '../../../test/push-subscription.ts';
import type { ChannelTarget, DeliveryJob } from '../channel-sender.ts';
import { pushSender } from './push.ts';
import type { PushReminderMessage } from './push-message.ts';

const vapid: VapidKeys = { ...webPush.generateVAPIDKeys(), subject: 'mailto:ops@example.com' };
const publicUrl = 'https://todo.example.com';
const sender = pushSender({
  vapid,
  requestTimeoutMs: 5_000,
  allowPrivateAddresses: true,
  publicUrl,
});
let service: PushService;

beforeAll(async () => {
  service = await startPushService();
});
afterAll(() => service.close());

const channelOf = (
  subscription: Pick<BrowserSubscription, 'endpoint' | 'keys'>,
): ChannelTarget => ({
  id: randomUUID(),
  userId: 'user-1',
  kind: 'push',
  url: subscription.endpoint,
  pushP256dh: subscription.keys.p256dh,
  pushAuth: subscription.keys.auth,
  webhookSecret: null,
  emailAddress: null,
});

function reminderJob(channel: ChannelTarget, title = 'Call the dentist'): DeliveryJob {
  const task = sampleSnapshot({
    title,
    dueAt: '2026-12-01T08:00:00.000Z',
    timeZone: 'Europe/Berlin',
    remindAt: '2026-12-01T07:45:00.000Z',
  });
  const event = newEvent('reminder.due', channel.userId, task.id, {
    task,
    remindAt: task.remindAt!,
    dueAt: task.dueAt,
    firedAt: new Date().toISOString(),
    late: false,
  });
  return { deliveryId: randomUUID(), attempt: 1, channel, event };
}

it('delivers a reminder the subscribed browser can decrypt, once', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  const job = reminderJob(channelOf(subscription));

  const result = await sender.send(job);

  expect(result).toMatchObject({ outcome: 'delivered', statusCode: 201 });
  const [message, ...more] = service.received(subscription.endpoint);
  expect(more).toHaveLength(0);
  expect(JSON.parse(message!.payload)).toEqual({
    type: 'reminder',
    deliveryId: job.deliveryId,
    taskId: job.event.taskId,
    title: 'Call the dentist',
    dueAt: '2026-12-01T08:00:00.000Z',
    timeZone: 'Europe/Berlin',
    remindAt: '2026-12-01T07:45:00.000Z',
    url: `${publicUrl}/#task=${job.event.taskId}`,
  } satisfies PushReminderMessage);
  expect(message!.headers).toMatchObject({
    topic: job.deliveryId.replaceAll('-', ''),
    urgency: 'high',
    'content-encoding': 'aes128gcm',
  });
  expect(Number(message!.headers.ttl)).toBeGreaterThan(0);
  expect(message!.claims).toMatchObject({ aud: service.origin, sub: vapid.subject });
});

it('cuts a long title so the message stays small', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  const title = '🦉'.repeat(1_000);

  const result = await sender.send(reminderJob(channelOf(subscription), title));

  expect(result.outcome).toBe('delivered');
  const [message] = service.received(subscription.endpoint);
  const sent = JSON.parse(message!.payload) as PushReminderMessage;
  expect(Array.from(sent.title)).toHaveLength(120);
  expect(sent.title.endsWith('🦉…')).toBe(true);
});

it.each([410, 404])(
  'reports the subscription gone when the push service answers %i',
  async (status) => {
    const subscription = service.subscribe(vapid.publicKey);
    service.answerAlways(subscription.endpoint, status);

    const result = await sender.send(reminderJob(channelOf(subscription)));

    expect(result).toMatchObject({ outcome: 'gone', statusCode: status });
    expect(service.received(subscription.endpoint)).toHaveLength(0);
  },
);

it.each([429, 500, 503])('tries again later when the push service answers %i', async (status) => {
  const subscription = service.subscribe(vapid.publicKey);
  service.answerNext(subscription.endpoint, status);
  const job = reminderJob(channelOf(subscription));

  expect(await sender.send(job)).toMatchObject({ outcome: 'retry', statusCode: status });
  expect(await sender.send({ ...job, attempt: 2 })).toMatchObject({ outcome: 'delivered' });
  expect(service.received(subscription.endpoint)).toHaveLength(1);
});

it('fails when the push service refuses a sender with other VAPID keys (403)', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  const stranger = pushSender({
    vapid: { ...webPush.generateVAPIDKeys(), subject: 'mailto:ops@example.com' },
    requestTimeoutMs: 5_000,
    allowPrivateAddresses: true,
    publicUrl,
  });

  const result = await stranger.send(reminderJob(channelOf(subscription)));

  expect(result).toMatchObject({ outcome: 'failed', statusCode: 403 });
  expect(service.received(subscription.endpoint)).toHaveLength(0);
  expect(service.refused.at(-1)).toMatchObject({
    subscriptionId: subscription.id,
    status: 403,
    reason: expect.stringContaining('VAPID key'),
  });
});

it('fails a message the push service will not take (413)', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  service.answerNext(subscription.endpoint, 413);

  const result = await sender.send(reminderJob(channelOf(subscription)));

  expect(result).toMatchObject({ outcome: 'failed', statusCode: 413 });
});

it('tries again later when the push service cannot be reached', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as { port: number };
  await new Promise((resolve) => closed.close(resolve));
  const subscription = {
    endpoint: `http://127.0.0.1:${port}/push/${randomUUID()}`,
    keys: service.subscribe(vapid.publicKey).keys,
  };

  const result = await sender.send(reminderJob(channelOf(subscription)));

  expect(result).toMatchObject({ outcome: 'retry', statusCode: null });
  expect(result.error).toMatch(/ECONNREFUSED/);
});

it('refuses a push endpoint on a private address unless allowed', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  const strict = pushSender({
    vapid,
    requestTimeoutMs: 5_000,
    allowPrivateAddresses: false,
    publicUrl,
  });

  const result = await strict.send(reminderJob(channelOf(subscription)));

  expect(result).toMatchObject({ outcome: 'failed', statusCode: null });
  expect(service.received(subscription.endpoint)).toHaveLength(0);
});

it('fails events other than reminder.due without sending them', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  const channel = channelOf(subscription);
  const task = sampleSnapshot();
  const event = newEvent('task.created', channel.userId, task.id, { task });

  const result = await sender.send({ deliveryId: randomUUID(), attempt: 1, channel, event });

  expect(result).toMatchObject({
    outcome: 'failed',
    error: expect.stringContaining('task.created'),
  });
  expect(service.received(subscription.endpoint)).toHaveLength(0);
});

it('fails a channel whose keys are not a browser subscription', async () => {
  const subscription = service.subscribe(vapid.publicKey);
  const channel = { ...channelOf(subscription), pushP256dh: 'bm90IGEga2V5' };

  const result = await sender.send(reminderJob(channel));

  expect(result.outcome).toBe('failed');
  expect(service.received(subscription.endpoint)).toHaveLength(0);
});
