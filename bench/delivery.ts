import { randomUUID } from 'node:crypto';
import webpush from 'web-push';
import { createKnex } from '../db/knex.ts';
import { migrateLatest } from '../db/migrate.ts';
import { createTask } from '../domain/task-commands.ts';
import { ensureKafka } from '../test/kafka-broker.ts';
import { createDatabase, dropDatabase } from '../test/postgres.ts';
import { startPushService } from '../test/push-service.ts';
import { startRole } from '../test/roles.ts';
import { startWebhookReceiver } from '../test/webhook-receiver.ts';
import { latencyResults, type BenchResult } from './stats.ts';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Reminders to the channels they reach: `reminders` reminders due within `spreadMs` across
 * `users` users, each with a webhook and a Web Push subscription. The relay, the notification
 * service and the delivery service run as processes of their own, as deployed; the webhook
 * receiver (verifying signatures) and the push service (checking VAPID and decrypting) run in
 * the benchmark's process and stamp each arrival. Latency: from the reminder's time to its
 * arrival, per channel.
 */
export async function benchDelivery({ smoke }: { smoke: boolean }): Promise<BenchResult[]> {
  const users = smoke ? 5 : 100;
  const reminders = smoke ? 20 : 1_000;
  const spreadMs = smoke ? 5_000 : 60_000;
  const name = `todo_bench_delivery_${randomUUID().slice(0, 8)}`;
  const url = await createDatabase(SERVER, name);
  const knex = createKnex(url, { poolMax: 10 });
  const kafka = await ensureKafka();
  const webhooks = await startWebhookReceiver();
  const push = await startPushService();
  const vapid = webpush.generateVAPIDKeys();
  const roles: ReturnType<typeof startRole>[] = [];
  try {
    await migrateLatest(knex);
    const env = {
      DATABASE_URL: url,
      KAFKA_BROKERS: kafka.brokers,
      NODE_ENV: 'production',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:bench@localhost',
      DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'true',
    };
    for (const role of ['relay', 'notification', 'delivery']) roles.push(startRole(role, env));
    await Promise.all(roles.map((role) => role.url()));

    const userIds = Array.from({ length: users }, (_, i) => `bench-delivery-${name}-${i}`);
    const endpoints = new Map<string, string>();
    for (const userId of userIds) {
      const subscription = push.subscribe(vapid.publicKey);
      endpoints.set(userId, subscription.endpoint);
      await knex('notification_channels').insert([
        {
          user_id: userId,
          kind: 'webhook',
          url: `${webhooks.url}?user=${encodeURIComponent(userId)}`,
          webhook_secret: webhooks.secret,
        },
        {
          user_id: userId,
          kind: 'push',
          url: subscription.endpoint,
          push_p256dh: subscription.keys.p256dh,
          push_auth: subscription.keys.auth,
        },
      ]);
    }
    // The consumers join their groups at the newest offsets; a lead lets them settle before the
    // first reminder is due, and lets every task be written before then.
    const firstAt = Date.now() + (smoke ? 8_000 : 25_000);
    for (let i = 0; i < reminders; i++) {
      const remindAt = new Date(firstAt + Math.floor((i * spreadMs) / reminders));
      await createTask(
        { db: knex, userId: userIds[i % users]! },
        {
          title: `reminder ${i}`,
          dueAt: new Date(remindAt.getTime() + 60_000),
          remindBeforeMinutes: 1,
        },
      );
    }
    if (Date.now() > firstAt) throw new Error('writing the tasks took longer than the lead');

    const deadline = firstAt + spreadMs + 60_000;
    const pushed = () =>
      [...endpoints.values()].reduce((sum, endpoint) => sum + push.received(endpoint).length, 0);
    while (
      Date.now() < deadline &&
      (webhooks.acknowledged().length < reminders || pushed() < reminders)
    )
      await new Promise((resolve) => setTimeout(resolve, 250));

    const webhookMs = webhooks
      .acknowledged()
      .map((hook) => hook.receivedAt - Date.parse(hook.payload!.data.payload.remindAt));
    const pushMs = [...endpoints.values()].flatMap((endpoint) =>
      push
        .received(endpoint)
        .map(
          (message) =>
            message.receivedAt.getTime() -
            Date.parse((JSON.parse(message.payload) as { remindAt: string }).remindAt),
        ),
    );
    const webhookIds = webhooks.acknowledged().map((hook) => hook.id);
    const duplicates = webhookIds.length - new Set(webhookIds).size;
    if (webhookMs.length < reminders || pushMs.length < reminders || duplicates > 0) {
      throw new Error(
        `delivery benchmark: ${webhookMs.length}/${reminders} webhooks, ${pushMs.length}/${reminders} pushes, ${duplicates} webhooks twice`,
      );
    }
    const conditions = `${reminders} reminders due within ${spreadMs / 1_000} s across ${users} users, each with a webhook and a push subscription; relay, notification and delivery as processes; receivers on localhost`;
    return [
      ...latencyResults('delivery: reminder time to webhook received', webhookMs, conditions),
      ...latencyResults('delivery: reminder time to push received', pushMs, conditions),
    ];
  } finally {
    await Promise.all(roles.map((role) => role.stop()));
    await webhooks.close();
    await push.close();
    await knex.destroy();
    await dropDatabase(SERVER, name).catch(() => undefined);
    await kafka.stop();
  }
}
