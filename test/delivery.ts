import type { Knex } from 'knex';
import type { DeliveryOptions } from '../consumers/delivery/options.ts';
import { DeliveryDispatcher } from '../consumers/delivery/dispatcher.ts';
import { createSenders } from '../consumers/delivery/senders/index.ts';
import { claimDueReminders } from '../consumers/notification/claim-reminders.ts';
import { fanOutEvents } from '../domain/deliveries.ts';
import type { Event } from '../model/events/contracts.ts';
import type { TestApi, TestUser } from './api.ts';
import type { KafkaTransport } from '../messaging/kafka-transport.ts';
import { OutboxRelay } from '../outbox/relay.ts';
import { startNotificationService } from '../consumers/notification/index.ts';
import { testKafka, testTopics } from './kafka.ts';
import { createReminderTask, msFromNow, pause, quiet } from './notification.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

/** Delivery options for specs: short retries, private destinations allowed (the receivers). */
export function testDeliveryOptions(overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
  return {
    retryScheduleMs: [200, 200, 200],
    requestTimeoutMs: 2_000,
    leaseMs: 5_000,
    disableAfterMs: 24 * 3_600_000,
    allowPrivateAddresses: true,
    vapid: undefined,
    smtp: undefined,
    publicUrl: 'http://127.0.0.1:3000',
    ...overrides,
  };
}

/**
 * Inserts a webhook channel for `userId` pointing at `receiver`, as the `createWebhook`
 * mutation stores one; returns its id.
 */
export async function insertWebhookChannel(
  knex: Knex,
  userId: string,
  receiver: Pick<WebhookReceiver, 'url' | 'secret'>,
  eventTypes: string[] = ['reminder.due'],
): Promise<string> {
  const [row] = (await knex('notification_channels')
    .insert({
      user_id: userId,
      kind: 'webhook',
      url: receiver.url,
      webhook_secret: receiver.secret,
      event_types: eventTypes,
    })
    .returning('id')) as { id: string }[];
  return row!.id;
}

/** A channel's row as stored. */
export async function channelRow(knex: Knex, id: string) {
  return knex('notification_channels').where({ id }).first();
}

/** The deliveries to a channel, with their attempt log. */
export async function deliveriesTo(knex: Knex, channelId: string) {
  const deliveries = await knex('deliveries')
    .where({ channel_id: channelId })
    .orderBy('created_at');
  const attempts = await knex('delivery_attempts')
    .whereIn(
      'delivery_id',
      deliveries.map((delivery: { id: string }) => delivery.id),
    )
    .orderBy('attempt');
  return { deliveries, attempts };
}

/** The `reminder.sent` events in the outbox for a task. */
export async function remindersSentInOutbox(
  knex: Knex,
  taskId: string,
): Promise<Event<'reminder.sent'>[]> {
  const rows: { payload: Event<'reminder.sent'> }[] = await knex('outbox')
    .where({ event_type: 'reminder.sent', message_key: taskId })
    .orderBy('id')
    .select('payload');
  return rows.map((row) => row.payload);
}

/**
 * Makes `count` reminders of `user` due now and fans them out together as the delivery service's
 * consumer would, without Kafka: creates the tasks, claims the reminders (writing their
 * `reminder.due`), and creates their deliveries. The spec's database must be its own (the claim
 * takes every due reminder).
 */
export async function fanOutDueReminders(
  knex: Knex,
  user: TestUser,
  count: number,
): Promise<Event<'reminder.due'>[]> {
  const tasks = await Promise.all(
    Array.from({ length: count }, () => createReminderTask(user, msFromNow(500))),
  );
  const wanted = new Set(tasks.map((task) => task.id));
  const events: Event<'reminder.due'>[] = [];
  for (let tries = 0; events.length < count; tries++) {
    if (tries === 50) throw new Error('the reminders were not claimed');
    await pause(100);
    events.push(...(await claimDueReminders(knex)).filter((due) => wanted.has(due.taskId)));
  }
  await knex.transaction((trx) => fanOutEvents(trx, events));
  return events;
}

/** One reminder of `user` due now, fanned out (see {@link fanOutDueReminders}). */
export async function fanOutDueReminder(
  knex: Knex,
  user: TestUser,
): Promise<Event<'reminder.due'>> {
  const [event] = await fanOutDueReminders(knex, user, 1);
  return event!;
}

/** Dispatchers a spec started; `stopAll` in afterEach stops the ones a failed test left. */
export function dispatchers() {
  const running = new Set<DeliveryDispatcher>();
  return {
    start(knex: Knex, options: DeliveryOptions = testDeliveryOptions()) {
      const dispatcher = new DeliveryDispatcher({
        knex,
        logger: quiet,
        senders: createSenders(options, undefined),
        options,
        pollIntervalMs: 100,
      });
      dispatcher.start();
      running.add(dispatcher);
      return dispatcher;
    },
    async stopAll() {
      await Promise.all([...running].map((dispatcher) => dispatcher.stop()));
      running.clear();
    },
  };
}

/** What fires reminders onto Kafka for a delivery spec: the relay and the notification service. */
export interface ReminderPipeline {
  transport: KafkaTransport;
  stop(): Promise<void>;
}

/**
 * Starts a Kafka transport with the product's topics, an outbox relay and a notification service
 * (group `<group>-notification`) over the API's database.
 */
export async function startReminderPipeline(
  api: Pick<TestApi, 'knex' | 'databaseUrl'>,
  group: string,
): Promise<ReminderPipeline> {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const relay = new OutboxRelay({
    knex: api.knex,
    transport,
    logger: quiet,
    listenUrl: api.databaseUrl,
  });
  await relay.start();
  const notification = await startNotificationService({
    knex: api.knex,
    transport,
    logger: quiet,
    group: `${group}-notification`,
  });
  return {
    transport,
    async stop() {
      await notification.stop();
      await relay.stop();
      await transport.close();
    },
  };
}
