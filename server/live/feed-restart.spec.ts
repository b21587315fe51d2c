import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { ReminderScheduler } from '../../consumers/notification/scheduler.ts';
import type { KafkaTransport } from '../../messaging/kafka-transport.ts';
import type { Consumer } from '../../messaging/transport.ts';
import { OutboxRelay } from '../../outbox/relay.ts';
import { unsentRows } from '../../outbox/unsent.ts';
import { startTestApi, type TestApi } from '../../test/api.ts';
import { eventually, testKafka, testTopics } from '../../test/kafka.ts';
import { wsClient, wsSubscribe, type LiveSubscriber } from '../../test/live.ts';
import { createReminderTask, msFromNow, remindersInOutbox } from '../../test/notification.ts';
import { waitForLiveFeed } from '../../test/live-pipeline.ts';
import { ownBroker } from '../../test/own-broker.ts';
import { startLiveFeed } from './live-feed.ts';

// A broker of this spec's own, stopped and started by the test (ports 19592 and 19593).
const broker = ownBroker(19592);
// The relay works on every row of its database: a database of its own.
let api: TestApi;
const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let transport: KafkaTransport;
let feedTransport: KafkaTransport;
let relay: OutboxRelay;
let scheduler: ReminderScheduler;
let feed: Consumer | undefined;
const subscribers: LiveSubscriber[] = [];

const REMINDERS = `subscription { reminders { id task { id } } }`;
const TASK_EVENTS = `subscription { taskEvents { id type task { id } } }`;

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  await broker.start(true);
  transport = testKafka(broker.brokers);
  await transport.ensureTopics(testTopics());
  relay = new OutboxRelay({
    knex: api.knex,
    transport,
    logger: quiet,
    listenUrl: api.databaseUrl,
    pollIntervalMs: 200,
  });
  await relay.start();
  scheduler = new ReminderScheduler({ knex: api.knex, logger: quiet });
  scheduler.start();
  // The API process's feed has a Kafka client of its own, as in a deployment.
  feedTransport = testKafka(broker.brokers);
  feed = await startLiveFeed({
    transport: feedTransport,
    hub: api.app.live,
    logger: quiet,
    groupId: `api-live-test-${randomUUID()}`,
  });
  await waitForLiveFeed(api, 180);
}, 400_000);

afterAll(async () => {
  await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
  await feed?.stop();
  await scheduler?.stop();
  await relay?.stop();
  await Promise.all([transport?.close(), feedTransport?.close()]);
  await api?.close();
  await broker.stop();
}, 60_000);

type Outcome = 'got everything' | 'told to resync' | 'missed some, silently';

/** What a subscriber got: every id expected, or the order to resync, or neither (silence). */
function outcome(
  subscriber: LiveSubscriber,
  idOf: (data: Record<string, any>) => string,
  expected: string[],
): Outcome {
  const last = subscriber.received.at(-1);
  if (last?.errors?.[0]?.extensions?.code === 'RESYNC_REQUIRED') return 'told to resync';
  const got = new Set(subscriber.received.flatMap((item) => (item.data ? [idOf(item.data)] : [])));
  return expected.every((id) => got.has(id)) ? 'got everything' : 'missed some, silently';
}

it('the live feed drops nothing Kafka delivered while its consumer restarted: subscribers get every reminder and task event, or are told to resync', async () => {
  const users = await Promise.all([1, 2, 3].map((i) => api.user(`feed-restart-${i}`)));
  const streams = [];
  for (const user of users) {
    const reminders = await wsSubscribe(wsClient(api.url, user.token), REMINDERS);
    const events = await wsSubscribe(wsClient(api.url, user.token), TASK_EVENTS);
    subscribers.push(reminders, events);
    streams.push({ user, reminders, events });
  }
  await eventually(() => api.app.live.subscriberCount === 6, 'six live subscribers', 5_000);

  await broker.stop();
  const written = await Promise.all(
    streams.map(async (stream) => {
      const tasks = [];
      for (let i = 0; i < 3; i++) {
        tasks.push(await createReminderTask(stream.user, msFromNow(2_000), `during outage ${i}`));
      }
      return { ...stream, taskIds: tasks.map((task) => task.id) };
    }),
  );
  // Kafka, whose task events wake the scheduler early, is down: wake it by hand.
  scheduler.wake();
  const allTasks = written.flatMap((stream) => stream.taskIds);
  await eventually(
    async () => (await remindersInOutbox(api.knex)).length >= allTasks.length,
    'every reminder claimed while Kafka is down',
    20_000,
  );
  const reminderIds = new Map(
    (await remindersInOutbox(api.knex)).map((event) => [event.taskId, event.id]),
  );

  await broker.start();
  await eventually(
    async () => (await unsentRows(api.knex)).length === 0,
    'the outbox published after Kafka returned',
    90_000,
  );
  const outcomes = () =>
    written.flatMap((stream) => [
      outcome(
        stream.reminders,
        (data) => data.reminders.id,
        stream.taskIds.map((taskId) => reminderIds.get(taskId)!),
      ),
      outcome(stream.events, (data) => data.taskEvents.task.id, stream.taskIds),
    ]);
  await eventually(
    () => !outcomes().includes('missed some, silently'),
    'every subscriber served',
    30_000,
  ).catch(() => undefined);
  // The feed resumes where it stopped, so nobody even needs telling to resync.
  expect(outcomes()).toEqual(outcomes().map(() => 'got everything'));
}, 240_000);
