import { randomUUID } from 'node:crypto';
import { useTestApi } from '../../test/api.ts';
import {
  insertWebhookChannel,
  remindersSentInOutbox,
  startReminderPipeline,
  testDeliveryOptions,
  type ReminderPipeline,
} from '../../test/delivery.ts';
import { consumersJoined } from '../../test/consumer-groups.ts';
import { eventually } from '../../test/kafka.ts';
import { createReminderTask, msFromNow, pause, quiet } from '../../test/notification.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';
import { startDeliveryService, type DeliveryService } from './index.ts';

// The services work for every user of their database, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });
const group = `delivery-${randomUUID()}`;
let pipeline: ReminderPipeline;
const replicas: DeliveryService[] = [];
const receivers: WebhookReceiver[] = [];

const startReplica = async () => {
  const service = await startDeliveryService({
    knex: api.knex,
    transport: pipeline.transport,
    logger: quiet,
    options: testDeliveryOptions(),
    mailer: undefined,
    group,
  });
  replicas.push(service);
  return service;
};

const receiverFor = async (userId: string, eventTypes?: string[]) => {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const channelId = await insertWebhookChannel(api.knex, userId, receiver, eventTypes);
  return { receiver, channelId };
};

describe('the delivery service', () => {
  beforeAll(async () => {
    pipeline = await startReminderPipeline(api, group);
    await startReplica();
    await consumersJoined(api, [group, `${group}-notification`]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await pipeline?.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  it('delivers a reminder to a webhook once, signed, within 2 s of its time, and reports it in reminder.sent', async () => {
    const user = await api.user();
    const { receiver, channelId } = await receiverFor(user.userId);
    const task = await createReminderTask(user, msFromNow(3_000));

    await eventually(() => receiver.acknowledged().length === 1, 'the webhook', 15_000);
    const [request] = receiver.received;
    expect(request!.verified).toBe(true);
    expect(request!.payload).toMatchObject({
      type: 'reminder.due',
      data: { type: 'reminder.due', userId: user.userId, taskId: task.id },
    });
    expect(request!.payload!.data.payload.remindAt).toBe(task.remindAt);
    // The acceptance bound: reminder time to receipt.
    expect(request!.receivedAt - Date.parse(task.remindAt)).toBeLessThan(2_000);

    await eventually(
      async () => (await remindersSentInOutbox(api.knex, task.id)).length === 1,
      'reminder.sent',
      5_000,
    );
    const [sent] = await remindersSentInOutbox(api.knex, task.id);
    expect(sent!.payload).toMatchObject({
      remindAt: task.remindAt,
      dueEventId: request!.payload!.data.id,
      channels: [
        { channelId, kind: 'webhook', outcome: 'delivered', attempts: 1, statusCode: 204 },
      ],
    });
    expect(sent!.payload.deliveredAt).not.toBeNull();
    await pause(500);
    expect(receiver.received).toHaveLength(1);
  }, 30_000);

  it('with two replicas, each webhook still gets each reminder once', async () => {
    await startReplica();
    const users = await Promise.all([1, 2, 3, 4].map(() => api.user()));
    const targets = await Promise.all(users.map((user) => receiverFor(user.userId)));
    const tasks = await Promise.all(
      users.flatMap((user) => [
        createReminderTask(user, msFromNow(2_000), 'first'),
        createReminderTask(user, msFromNow(2_500), 'second'),
      ]),
    );
    await eventually(
      () => targets.every(({ receiver }) => receiver.acknowledged().length === 2),
      'every webhook',
      20_000,
    );
    await pause(1_000);
    for (const [index, { receiver }] of targets.entries()) {
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received.every((request) => request.verified)).toBe(true);
      const taskIds = receiver.received.map((request) => request.payload!.data.taskId).sort();
      const own = tasks.slice(index * 2, index * 2 + 2).map((task) => task.id);
      expect(taskIds).toEqual(own.sort());
    }
  }, 40_000);

  it("sends nothing to another user's webhook, and task events only to webhooks that ask for them", async () => {
    const [owner, other] = [await api.user(), await api.user()];
    const mine = await receiverFor(owner.userId, ['reminder.due', 'task.created']);
    const theirs = await receiverFor(other.userId, ['reminder.due', 'task.created']);
    const remindersOnly = await receiverFor(owner.userId, ['reminder.due']);
    const task = await createReminderTask(owner, msFromNow(1_000));

    await eventually(() => mine.receiver.acknowledged().length === 2, 'the owner webhook', 15_000);
    await eventually(
      () => remindersOnly.receiver.acknowledged().length === 1,
      'the reminders-only webhook',
      5_000,
    );
    await pause(1_000);
    expect(mine.receiver.received.map((request) => request.payload!.type).sort()).toEqual([
      'reminder.due',
      'task.created',
    ]);
    expect(
      mine.receiver.received.every((request) => request.payload!.data.taskId === task.id),
    ).toBe(true);
    expect(remindersOnly.receiver.received).toHaveLength(1);
    expect(theirs.receiver.received).toHaveLength(0);
  }, 30_000);
});
