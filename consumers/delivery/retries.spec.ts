import { useTestApi } from '../../test/api.ts';
import {
  channelRow,
  deliveriesTo,
  dispatchers,
  fanOutDueReminder,
  insertWebhookChannel,
  remindersSentInOutbox,
  testDeliveryOptions,
} from '../../test/delivery.ts';
import { eventually } from '../../test/kafka.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';

// Dispatchers send the deliveries of every user, so the spec has a database of its own.
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

it('retries on the schedule: a receiver that fails twice gets the reminder on the third try, once', async () => {
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  receiver.failNext(2);
  const due = await fanOutDueReminder(api.knex, user);
  running.start(api.knex);

  await eventually(
    async () => (await remindersSentInOutbox(api.knex, due.taskId)).length === 1,
    'reminder.sent',
    10_000,
  );
  expect(receiver.received.map((request) => request.status)).toEqual([500, 500, 204]);
  expect(receiver.received.every((request) => request.verified)).toBe(true);
  // The same webhook-id on every try, so the receiver can drop repeats.
  expect(new Set(receiver.received.map((request) => request.id)).size).toBe(1);
  expect(receiver.acknowledged()).toHaveLength(1);
  expect(receiver.acknowledged()[0]!.payload).toMatchObject({ type: 'reminder.due', data: due });

  const { deliveries, attempts } = await deliveriesTo(api.knex, channelId);
  expect(deliveries).toMatchObject([{ status: 'delivered', attempts: 3, last_status_code: 204 }]);
  expect(attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual([
    'retry',
    'retry',
    'delivered',
  ]);
  expect(attempts[0]).toMatchObject({ attempt: 1, status_code: 500 });
  const [sent] = await remindersSentInOutbox(api.knex, due.taskId);
  expect(sent!.payload).toMatchObject({
    dueEventId: due.id,
    remindAt: due.payload.remindAt,
    channels: [{ channelId, kind: 'webhook', outcome: 'delivered', attempts: 3, statusCode: 204 }],
  });
  expect(sent!.payload.deliveredAt).toBe(sent!.payload.channels[0]!.finishedAt);
  const channel = await channelRow(api.knex, channelId);
  expect(channel).toMatchObject({ enabled: true, failing_since: null });
  expect(channel.last_success_at).toBeInstanceOf(Date);
});

it('fails once the schedule is exhausted, reports it, and disables a channel failing too long, saying why', async () => {
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  receiver.failNext(100);
  const due = await fanOutDueReminder(api.knex, user);
  running.start(api.knex, testDeliveryOptions({ disableAfterMs: 1 }));

  await eventually(
    async () => (await remindersSentInOutbox(api.knex, due.taskId)).length === 1,
    'reminder.sent',
    10_000,
  );
  // The first try and one per wait of the schedule.
  expect(receiver.received).toHaveLength(4);
  const { deliveries, attempts } = await deliveriesTo(api.knex, channelId);
  expect(deliveries).toMatchObject([{ status: 'failed', attempts: 4, last_status_code: 500 }]);
  expect(attempts).toHaveLength(4);
  const [sent] = await remindersSentInOutbox(api.knex, due.taskId);
  expect(sent!.payload).toMatchObject({
    deliveredAt: null,
    channels: [{ channelId, outcome: 'failed', attempts: 4, statusCode: 500 }],
  });
  const channel = await channelRow(api.knex, channelId);
  expect(channel.enabled).toBe(false);
  expect(channel.disabled_reason).toBe(
    `every delivery has failed since ${channel.failing_since.toISOString()}`,
  );

  // A disabled channel is sent nothing more.
  const next = await fanOutDueReminder(api.knex, user);
  expect(await deliveriesTo(api.knex, channelId)).toMatchObject({ deliveries: [{}] });
  const [report] = await remindersSentInOutbox(api.knex, next.taskId);
  expect(report!.payload).toMatchObject({ channels: [], deliveredAt: null });
});

it('keeps a channel that has not failed for long enabled after a failed delivery', async () => {
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  receiver.failNext(100);
  const due = await fanOutDueReminder(api.knex, user);
  running.start(api.knex, testDeliveryOptions({ retryScheduleMs: [] }));
  await eventually(
    async () => (await remindersSentInOutbox(api.knex, due.taskId)).length === 1,
    'reminder.sent',
    10_000,
  );
  expect(await channelRow(api.knex, channelId)).toMatchObject({ enabled: true });
  expect((await channelRow(api.knex, channelId)).failing_since).toBeInstanceOf(Date);
});
