import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useTestApi } from '../../test/api.ts';
import {
  fanOutDueReminder,
  fanOutDueReminders,
  insertWebhookChannel,
  remindersSentInOutbox,
} from '../../test/delivery.ts';
import { requireTestEnv } from '../../test/env.ts';
import { eventually } from '../../test/kafka.ts';
import { startRole, useConsumerGroupsAlone } from '../../test/roles.ts';
import { startWebhookReceiver } from '../../test/webhook-receiver.ts';

// Starts consumer roles on the run's broker: see useConsumerGroupsAlone.
useConsumerGroupsAlone();

// The service sends the deliveries of every user, so it runs on a database of its own.
const api = useTestApi({ ownDatabase: true });
const dataDir = mkdtempSync(path.join(tmpdir(), 'todo-delivery-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startDelivery = () =>
  startRole('delivery', {
    DATABASE_URL: api.databaseUrl,
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
    DATA_DIR: dataDir,
    DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'true',
    // The lease is the request timeout and 15 s: what a killed sender's deliveries wait for.
    DELIVERY_REQUEST_TIMEOUT_SECONDS: '1.5',
    DELIVERY_RETRY_SCHEDULE: '200ms,200ms',
  });

it('killed with SIGKILL mid-delivery and restarted: nothing lost, nothing acknowledged twice', async () => {
  const receiver = await startWebhookReceiver();
  const user = await api.user();
  const channelId = await insertWebhookChannel(api.knex, user.userId, receiver);
  const first = startDelivery();
  let second: ReturnType<typeof startDelivery> | undefined;
  try {
    await first.url();
    // One delivery acknowledged and recorded before the crash: it must not come again.
    const before = await fanOutDueReminder(api.knex, user);
    await eventually(
      async () =>
        (await api.knex('deliveries').where({ channel_id: channelId, status: 'delivered' }))
          .length === 1,
      'the first delivery',
      10_000,
    );

    receiver.delayMs = 1_000;
    const during = await fanOutDueReminders(api.knex, user, 5);
    await eventually(() => receiver.received.length === 6, 'the requests in flight', 10_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(receiver.acknowledged()).toHaveLength(1);

    second = startDelivery();
    await second.url();
    await eventually(
      async () =>
        (await api.knex('deliveries').where({ channel_id: channelId, status: 'delivered' }))
          .length === 6,
      'every delivery after the restart',
      40_000,
    );
    await eventually(() => receiver.acknowledged().length === 6, 'the acknowledgements', 5_000);

    // The five the killed process had in flight were sent again, under the same webhook-id.
    expect(receiver.received).toHaveLength(11);
    expect(receiver.received.filter((request) => !request.acknowledged)).toHaveLength(5);
    const acknowledged = receiver.acknowledged().map((request) => request.id);
    expect(new Set(acknowledged).size).toBe(6);
    const deliveries = await api.knex('deliveries').where({ channel_id: channelId });
    expect(new Set(acknowledged)).toEqual(new Set(deliveries.map((row: { id: string }) => row.id)));
    // The one acknowledged before the crash was not sent again.
    const firstId = receiver.received[0]!.id;
    expect(receiver.received.filter((request) => request.id === firstId)).toHaveLength(1);
    for (const due of [before, ...during]) {
      const sent = await remindersSentInOutbox(api.knex, due.taskId);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.payload.channels).toMatchObject([{ channelId, outcome: 'delivered' }]);
    }
  } finally {
    first.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
    await receiver.close();
  }
}, 90_000);
