import { randomUUID } from 'node:crypto';
import { TOPICS } from '../../model/events/topics.ts';
import { OutboxRelay } from '../../outbox/relay.ts';
import { useTestApi } from '../../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../../test/kafka.ts';
import type { ReminderDue } from './claim-reminders.ts';
import { startNotificationService, type NotificationService } from './index.ts';
import { createReminderTask, msFromNow, pause, quiet } from '../../test/notification.ts';

// The scheduler claims the reminders of every user, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });
const group = `notification-${randomUUID()}`;
let transport: ReturnType<typeof testKafka>;
let relay: OutboxRelay;
let service: NotificationService;
let reminders: Awaited<ReturnType<typeof collect>>;

// Hooks of a describe block run inside the file's: the service stops before the API closes the
// database (a file's afterAll hooks run in the order they were declared).
describe('the notification service', () => {
  beforeAll(async () => {
    transport = testKafka();
    await transport.ensureTopics(testTopics());
    relay = new OutboxRelay({
      knex: api.knex,
      transport,
      logger: quiet,
      listenUrl: api.databaseUrl,
    });
    await relay.start();
    reminders = await collect(transport, [TOPICS.taskReminders.name]);
    service = await startNotificationService({ knex: api.knex, transport, logger: quiet, group });
    // A new group starts at the newest events once it has joined: wait until it handles one.
    const user = await api.user('probe');
    await eventually(
      async () => {
        await createReminderTask(user, msFromNow(86_400_000), 'probe');
        await pause(1_000);
        return (await api.knex('processed_events').where({ consumer_group: group })).length > 0;
      },
      'the notification consumer to join',
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    await service?.stop();
    await reminders?.stop();
    await relay?.stop();
    await transport?.close();
  });

  it('a task event wakes the sleeping scheduler, and the reminder reaches task-reminders on time, once', async () => {
    const user = await api.user();
    const { scheduler } = service;
    const sleepingFor = scheduler.nextReminderAt;
    expect(sleepingFor!.getTime()).toBeGreaterThan(Date.now() + 60_000);

    const written = Date.now();
    const task = await createReminderTask(user, msFromNow(2_000));
    await eventually(
      () => scheduler.nextReminderAt?.toISOString() === task.remindAt,
      'the task event to wake the scheduler',
      2_000,
    );
    const wokenAfterMs = Date.now() - written;

    const ours = () => reminders.messages.filter((message) => message.key === task.id);
    await eventually(() => ours().length === 1, 'the reminder on task-reminders', 20_000);
    await pause(1_000);
    expect(ours()).toHaveLength(1);
    const message = ours()[0]!;
    const event = JSON.parse(message.value!) as ReminderDue;
    expect(event).toMatchObject({
      type: 'reminder.due',
      userId: user.userId,
      taskId: task.id,
      payload: { remindAt: task.remindAt, late: false },
    });
    const remindAt = Date.parse(task.remindAt);
    const firedMs = Date.parse(event.payload.firedAt) - remindAt;
    const publishedMs = message.timestamp - remindAt;
    console.log('through Kafka:', { wokenAfterMs, firedMs, publishedMs });
    expect(firedMs).toBeGreaterThanOrEqual(0);
    expect(firedMs).toBeLessThan(3_000);
    expect(publishedMs).toBeLessThan(3_000);
  }, 30_000);
});
