import { randomUUID } from 'node:crypto';
import webpush from 'web-push';
import { createMailer } from '../../lib/smtp-mailer.ts';
import type { Mailer } from '../../lib/mailer.ts';
import { startTestApi, type TestApi, type TestUser } from '../../test/api.ts';
import {
  remindersSentInOutbox,
  startReminderPipeline,
  testDeliveryOptions,
  type ReminderPipeline,
} from '../../test/delivery.ts';
import { consumersJoined } from '../../test/consumer-groups.ts';
import { eventually } from '../../test/kafka.ts';
import { createReminderTask, msFromNow, pause, quiet } from '../../test/notification.ts';
import { startPushService, type PushService } from '../../test/push-service.ts';
import { startSmtpServer, type TestSmtpServer } from '../../test/smtp-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';
import { startDeliveryService, type DeliveryService } from './index.ts';

// Issue #19's acceptance, end to end: channels set up through the GraphQL API, a reminder fired
// by the notification service, published by the relay through Kafka, and delivered by two
// delivery replicas to a push service, a webhook receiver and an SMTP server, all real peers.
const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@localhost' };
const group = `all-channels-${randomUUID()}`;
let api: TestApi;
let smtp: TestSmtpServer;
let push: PushService;
let mailer: Mailer;
let pipeline: ReminderPipeline;
const replicas: DeliveryService[] = [];
const receivers: WebhookReceiver[] = [];

/** A user with a push subscription, a webhook and a confirmed email address, all made through the API. */
async function userWithChannels(label: string) {
  const user = await api.user(label);
  const { data: keyData } = await user.gql('{ pushPublicKey }');
  const subscription = push.subscribe(keyData!.pushPublicKey);
  const registered = await user.gql(
    `mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) {
       ... on RegisterPushSubscriptionSuccess { channel { id } } ... on Error { message } } }`,
    { input: { endpoint: subscription.endpoint, ...subscription.keys } },
  );
  const pushChannelId = registered.data!.registerPushSubscription.channel.id as string;

  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const created = await user.gql(
    `mutation($url: String!) { createWebhook(input: { url: $url }) {
       ... on CreateWebhookSuccess { webhook { id } secret } ... on Error { message } } }`,
    { url: receiver.url },
  );
  receiver.verifyWith(created.data!.createWebhook.secret);

  const address = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  await user.gql(`mutation($a: String!) { setEmailChannel(address: $a) { __typename } }`, {
    a: address,
  });
  const [codeMail] = await smtp.waitFor(1, address);
  const code = /\b(\d{6})\b/.exec(codeMail!.text ?? '')![1]!;
  const confirmed = await user.gql(
    `mutation($c: String!) { confirmEmailChannel(code: $c) {
       ... on ConfirmEmailChannelSuccess { channel { verified } } ... on Error { message } } }`,
    { c: code },
  );
  expect(confirmed.data!.confirmEmailChannel).toEqual({ channel: { verified: true } });
  return { user, subscription, pushChannelId, receiver, address };
}

const channelsOf = (user: TestUser) =>
  user.gql(`{ notificationChannels { kind enabled disabledReason } }`);

beforeAll(async () => {
  smtp = await startSmtpServer();
  push = await startPushService();
  mailer = createMailer({ url: smtp.url, from: 'Todo reminders <reminders@example.test>' });
  api = await startTestApi({
    ownDatabase: true,
    channels: { vapidPublicKey: vapid.publicKey, mailer, allowPrivateAddresses: true },
  });
  pipeline = await startReminderPipeline(api, group);
  for (let i = 0; i < 2; i++) {
    replicas.push(
      await startDeliveryService({
        knex: api.knex,
        transport: pipeline.transport,
        logger: quiet,
        options: testDeliveryOptions({ vapid, smtp: { url: smtp.url, from: 'x@example.test' } }),
        mailer,
        group,
      }),
    );
  }
  await consumersJoined(api, [group, `${group}-notification`]);
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await pipeline?.stop();
  await api?.close();
  await mailer?.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await push?.close();
  await smtp?.close();
});

it('a reminder due in 5 s reaches push, webhook and email once each within 2 s of its time, with two delivery replicas, and no other user gets it', async () => {
  const alice = await userWithChannels('alice');
  const bob = await userWithChannels('bob');
  const mailsBefore = smtp.received.length;
  const task = await createReminderTask(alice.user, msFromNow(5_000), 'Water the plants');
  const remindAt = Date.parse(task.remindAt);

  const [pushed] = await push.waitForMessages(alice.subscription.endpoint, 1);
  const [mail] = await smtp.waitFor(1 + 1, alice.address).then((mails) => mails.slice(1));
  await eventually(() => alice.receiver.acknowledged().length === 1, 'the webhook', 15_000);

  // Web Push: the payload the browser decrypts names the task and where to open it.
  const payload = JSON.parse(pushed!.payload);
  expect(payload).toMatchObject({
    taskId: task.id,
    title: 'Water the plants',
    remindAt: task.remindAt,
  });
  expect(pushed!.receivedAt.getTime() - remindAt).toBeLessThan(2_000);
  // The webhook verified with the secret createWebhook answered.
  const [hook] = alice.receiver.received;
  expect(hook!.verified).toBe(true);
  expect(hook!.payload!.data).toMatchObject({ type: 'reminder.due', taskId: task.id });
  expect(hook!.receivedAt - remindAt).toBeLessThan(2_000);
  // The mail.
  expect(mail!.subject).toBe('Reminder: Water the plants');
  expect(mail!.text).toContain(`#task=${task.id}`);
  // The Date header has whole seconds, so this bound is as strict or stricter.
  expect(mail!.date!.getTime() - remindAt).toBeLessThan(2_000);
  expect(smtp.received.indexOf(mail!)).toBeGreaterThanOrEqual(mailsBefore);

  await eventually(
    async () => (await remindersSentInOutbox(api.knex, task.id)).length === 1,
    'reminder.sent',
    10_000,
  );
  const [sent] = await remindersSentInOutbox(api.knex, task.id);
  expect(
    (sent!.payload.channels as { kind: string; outcome: string }[])
      .map(({ kind, outcome }) => `${kind}:${outcome}`)
      .sort(),
  ).toEqual(['email:delivered', 'push:delivered', 'webhook:delivered']);

  // Once each, even with two replicas; Bob's channels got nothing.
  await pause(1_500);
  expect(push.received(alice.subscription.endpoint)).toHaveLength(1);
  expect(alice.receiver.received).toHaveLength(1);
  expect(smtp.receivedBy(alice.address)).toHaveLength(2);
  expect(push.received(bob.subscription.endpoint)).toHaveLength(0);
  expect(bob.receiver.received).toHaveLength(0);
  expect(smtp.receivedBy(bob.address)).toHaveLength(1);
}, 60_000);

it('a push service answering 410 Gone disables the subscription, and the user sees why', async () => {
  const carol = await userWithChannels('carol');
  push.answerAlways(carol.subscription.endpoint, 410);
  const task = await createReminderTask(carol.user, msFromNow(1_500), 'Gone');

  await eventually(
    async () => (await remindersSentInOutbox(api.knex, task.id)).length === 1,
    'reminder.sent',
    20_000,
  );
  const [sent] = await remindersSentInOutbox(api.knex, task.id);
  expect(
    (sent!.payload.channels as { kind: string; outcome: string }[])
      .map(({ kind, outcome }) => `${kind}:${outcome}`)
      .sort(),
  ).toEqual(['email:delivered', 'push:failed', 'webhook:delivered']);
  const { data } = await channelsOf(carol.user);
  const pushChannel = data!.notificationChannels.find(
    (channel: { kind: string }) => channel.kind === 'PUSH',
  );
  expect(pushChannel.enabled).toBe(false);
  expect(pushChannel.disabledReason).toMatch(/410/);

  // A disabled subscription is not sent the next reminder; the other channels are.
  push.reset(carol.subscription.endpoint);
  const next = await createReminderTask(carol.user, msFromNow(1_500), 'After');
  await eventually(
    async () => (await remindersSentInOutbox(api.knex, next.id)).length === 1,
    'the next reminder.sent',
    20_000,
  );
  expect(push.received(carol.subscription.endpoint)).toHaveLength(0);
  expect(carol.receiver.acknowledged()).toHaveLength(2);
}, 60_000);
