import { fanOutEvents } from '../../domain/deliveries.ts';
import { claimDueDeliveries } from '../../domain/delivery-claims.ts';
import { recordAttempt } from '../../domain/delivery-results.ts';
import { deleteWebhook } from '../../domain/webhooks.ts';
import { useTestApi } from '../../test/api.ts';
import {
  deliveriesTo,
  dispatchers,
  fanOutDueReminder,
  insertWebhookChannel,
  remindersSentInOutbox,
  testDeliveryOptions,
} from '../../test/delivery.ts';
import { eventually } from '../../test/kafka.ts';
import { pause } from '../../test/notification.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';

// Claims take the deliveries of every user, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });
const running = dispatchers();
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await running.stopAll();
  await receiver.close();
});

const options = { retryScheduleMs: [200], disableAfterMs: 86_400_000 };

it('records only the try that holds the delivery: a late answer after the lease was taken over changes nothing', async () => {
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  await fanOutDueReminder(api.knex, user);

  const [first] = await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 1 });
  expect(first).toMatchObject({ attempt: 1, channel: { id: channelId, kind: 'webhook' } });
  // Held: no second claim while the lease lasts.
  await pause(20);
  const [second] = await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 60_000 });
  expect(second).toMatchObject({ deliveryId: first!.deliveryId, attempt: 2 });
  expect(await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 60_000 })).toEqual([]);

  const late = await recordAttempt(
    api.knex,
    first!,
    { outcome: 'retry', statusCode: 500, durationMs: 5 },
    options,
  );
  expect(late).toEqual({ recorded: false });
  const now = await recordAttempt(
    api.knex,
    second!,
    { outcome: 'delivered', statusCode: 200, durationMs: 5 },
    options,
  );
  expect(now).toMatchObject({ recorded: true, status: 'delivered' });
  const { deliveries, attempts } = await deliveriesTo(api.knex, channelId);
  expect(deliveries).toMatchObject([{ status: 'delivered', attempts: 2, last_status_code: 200 }]);
  expect(attempts).toMatchObject([{ attempt: 2, outcome: 'delivered' }]);
});

it('cancels a delivery whose channel was disabled before it went out, and reports it', async () => {
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  const due = await fanOutDueReminder(api.knex, user);
  await api
    .knex('notification_channels')
    .where({ id: channelId })
    .update({ enabled: false, disabled_reason: 'turned off by the user' });

  expect(await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 60_000 })).toEqual([]);
  expect((await deliveriesTo(api.knex, channelId)).deliveries).toMatchObject([
    { status: 'cancelled', attempts: 0 },
  ]);
  const [sent] = await remindersSentInOutbox(api.knex, due.taskId);
  expect(sent!.payload).toMatchObject({
    deliveredAt: null,
    channels: [{ channelId, outcome: 'cancelled', attempts: 0 }],
  });
  expect(receiver.received).toHaveLength(0);
});

it('does not mail a reminder to an address set after it fired and not yet confirmed', async () => {
  const user = await api.user();
  const [email] = (await api
    .knex('notification_channels')
    .insert({
      user_id: user.userId,
      kind: 'email',
      email_address: 'confirmed@example.test',
      email_verified_at: new Date(),
    })
    .returning('id')) as { id: string }[];
  const due = await fanOutDueReminder(api.knex, user);
  // setEmailChannel with another address keeps the channel and waits for its code.
  await api
    .knex('notification_channels')
    .where({ id: email!.id })
    .update({ email_address: 'unconfirmed@example.test', email_verified_at: null });

  expect(await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 60_000 })).toEqual([]);
  expect((await deliveriesTo(api.knex, email!.id)).deliveries).toMatchObject([
    { status: 'cancelled', attempts: 0 },
  ]);
  const [sent] = await remindersSentInOutbox(api.knex, due.taskId);
  expect(sent!.payload).toMatchObject({
    channels: [{ channelId: email!.id, kind: 'email', outcome: 'cancelled' }],
  });
});

it('fails a delivery to a kind this service has no sender for, saying why', async () => {
  const user = await api.user();
  const [push] = (await api
    .knex('notification_channels')
    .insert({
      user_id: user.userId,
      kind: 'push',
      url: receiver.url,
      push_p256dh: 'BKey',
      push_auth: 'auth',
    })
    .returning('id')) as { id: string }[];
  const due = await fanOutDueReminder(api.knex, user);
  running.start(api.knex, testDeliveryOptions({ vapid: undefined }));
  await eventually(
    async () => (await remindersSentInOutbox(api.knex, due.taskId)).length === 1,
    'reminder.sent',
    5_000,
  );
  const { deliveries } = await deliveriesTo(api.knex, push!.id);
  expect(deliveries).toMatchObject([
    { status: 'failed', last_error: 'push channels are not configured on this delivery service' },
  ]);
  expect(receiver.received).toHaveLength(0);
});

it('creates one delivery per event and channel however often an event is fanned out', async () => {
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  const due = await fanOutDueReminder(api.knex, user);
  expect(await api.knex.transaction((trx) => fanOutEvents(trx, [due]))).toBe(0);
  expect((await deliveriesTo(api.knex, channelId)).deliveries).toHaveLength(1);
});

it('reports a reminder whose last unfinished delivery went with its deleted channel', async () => {
  const user = await api.user();
  const scope = { db: api.knex, userId: user.userId };
  const kept = await insertWebhookChannel(api.knex, user.userId, receiver);
  const other = await startWebhookReceiver();
  try {
    const deleted = await insertWebhookChannel(api.knex, user.userId, other);
    const due = await fanOutDueReminder(api.knex, user);
    const jobs = await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 60_000 });
    const keptJob = jobs.find((job) => job.channel.id === kept)!;
    await recordAttempt(
      api.knex,
      keptJob,
      { outcome: 'delivered', statusCode: 204, durationMs: 3 },
      options,
    );
    expect(await remindersSentInOutbox(api.knex, due.taskId)).toEqual([]);

    // The other delivery is still being sent when its webhook is deleted.
    await deleteWebhook(scope, deleted);
    const [sent] = await remindersSentInOutbox(api.knex, due.taskId);
    expect(sent!.payload).toMatchObject({
      dueEventId: due.id,
      channels: [{ channelId: kept, outcome: 'delivered' }],
    });
    expect(sent!.payload.channels).toHaveLength(1);
  } finally {
    await other.close();
  }
});

it('reports a reminder with no channel left when its only channel is deleted', async () => {
  const user = await api.user();
  const only = await insertWebhookChannel(api.knex, user.userId, receiver);
  const due = await fanOutDueReminder(api.knex, user);
  await deleteWebhook({ db: api.knex, userId: user.userId }, only);
  const [sent] = await remindersSentInOutbox(api.knex, due.taskId);
  expect(sent!.payload).toMatchObject({ dueEventId: due.id, deliveredAt: null, channels: [] });
  expect(await claimDueDeliveries(api.knex, { limit: 10, leaseMs: 60_000 })).toEqual([]);
});
