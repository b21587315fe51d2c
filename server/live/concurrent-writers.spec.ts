import { pino } from 'pino';
import { createTask, useTestApi, type TestUser } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import { startLivePipeline, type LivePipeline } from '../../test/live-pipeline.ts';
import { wsClient, wsSubscribe, type LiveSubscriber } from '../../test/live.ts';

const api = useTestApi({ ownDatabase: true });
const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let pipeline: LivePipeline | undefined;
const subscribers: LiveSubscriber[] = [];

const WRITERS = 16;
const WRITES = 15;
const TASK_EVENTS = `subscription Events($after: ID) {
  taskEvents(after: $after) { id type task { id title version } }
}`;

beforeAll(async () => {
  pipeline = await startLivePipeline(api, quiet);
}, 60_000);
afterAll(async () => {
  await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
  await pipeline?.stop();
});

/** One writer: creates its task, then renames it WRITES times, each after the last returned. */
async function writer(user: TestUser, w: number): Promise<void> {
  const task = await createTask(user, { title: `w${w}-0` }, 'id');
  for (let k = 1; k <= WRITES; k++) {
    const { data, errors } = await user.gql(
      `mutation($id: ID!, $title: String!) { updateTask(id: $id, input: { title: $title }) { __typename } }`,
      { id: task.id, title: `w${w}-${k}` },
    );
    expect(errors).toBeUndefined();
    expect(data!.updateTask.__typename).toBe('UpdateTaskSuccess');
  }
}

const eventsOf = (subscriber: LiveSubscriber) =>
  subscriber.received.map((received) => received.data!.taskEvents);

it('16 concurrent writers of one user: every event reaches a subscriber once, in commit order, and a resume with after: misses none', async () => {
  const user = await api.user('busy');
  const total = WRITERS * (WRITES + 1);
  const live = await wsSubscribe(wsClient(api.url, user.token), TASK_EVENTS);
  subscribers.push(live);
  await eventually(() => api.app.live.subscriberCount === 1, 'the subscriber', 5_000);

  let resumed: LiveSubscriber | undefined;
  let resumedAfter = -1;
  const resume = (async () => {
    await eventually(() => live.received.length >= total / 3, 'a third of the events', 60_000);
    resumedAfter = live.received.length - 1;
    const after = eventsOf(live)[resumedAfter].id;
    resumed = await wsSubscribe(wsClient(api.url, user.token), TASK_EVENTS, { after });
    subscribers.push(resumed);
  })();
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(user, w)));
  await resume;
  await eventually(() => live.received.length >= total, `all ${total} events live`, 60_000);
  await eventually(
    () => resumed!.received.length >= total - resumedAfter - 1,
    'the resumed subscriber to catch up',
    60_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));

  const events = eventsOf(live);
  expect(live.received.every((received) => received.errors === undefined)).toBe(true);
  expect(new Set(events.map((event) => event.id)).size).toBe(total);
  expect(events).toHaveLength(total);
  // Each writer waited for its last write to commit: its events come in the order it wrote them.
  for (let w = 0; w < WRITERS; w++) {
    const titles = events.filter((e) => e.task.title.startsWith(`w${w}-`)).map((e) => e.task.title);
    expect(titles).toEqual(Array.from({ length: WRITES + 1 }, (_, k) => `w${w}-${k}`));
  }
  // The stream is the user's whole sequence, 1 to total with no gap, in sequence order.
  const sequence = await api
    .knex('outbox')
    .where({ user_id: user.userId, topic: 'task-events' })
    .orderBy('user_seq')
    .select('event_id', 'user_seq');
  expect(sequence.map((row) => Number(row.user_seq))).toEqual(
    Array.from({ length: total }, (_, i) => i + 1),
  );
  expect(events.map((event) => event.id)).toEqual(sequence.map((row) => row.event_id));
  // The resumed subscriber got exactly what followed the event it resumed after.
  expect(resumed!.received.every((received) => received.errors === undefined)).toBe(true);
  expect(eventsOf(resumed!).map((event) => event.id)).toEqual(
    events.slice(resumedAfter + 1).map((event) => event.id),
  );
}, 120_000);
