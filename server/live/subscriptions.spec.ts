import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import WebSocket from 'ws';
import {
  startNotificationService,
  type NotificationService,
} from '../../consumers/notification/index.ts';
import { LATE_AFTER_MS } from '../../consumers/notification/claim-reminders.ts';
import {
  createReminderTask,
  msFromNow,
  pause,
  remindersInOutbox,
} from '../../test/notification.ts';
import { createKnex } from '../../db/knex.ts';
import { createTask, useTestApi, type TestUser } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import {
  sseSubscribe,
  wsClient,
  wsSubscribe,
  wsUrlOf,
  type LiveSubscriber,
} from '../../test/live.ts';
import { TOPICS } from '../../model/events/topics.ts';
import type { KafkaTransport } from '../../messaging/kafka-transport.ts';
import { signToken } from '../auth/jwt.ts';
import { startLivePipeline, type LivePipeline } from '../../test/live-pipeline.ts';

// The relay and the notification service work on every row of their database: a database of its own.
const api = useTestApi({ ownDatabase: true });
const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let pipeline: LivePipeline | undefined;
let transport: KafkaTransport;
const services: NotificationService[] = [];
const subscribers: LiveSubscriber[] = [];

const REMINDERS = `subscription { reminders { id remindAt dueAt firedAt late task { id title } } }`;
const TASK_EVENTS = `subscription Events($after: ID) {
  taskEvents(after: $after) { id type occurredAt task { id title completed version } }
}`;

async function startNotification(knex = api.knex): Promise<NotificationService> {
  const service = await startNotificationService({
    knex,
    transport,
    logger: quiet,
    group: `notification-live-${randomUUID()}`,
  });
  services.push(service);
  return service;
}

/** Waits until the hub holds `count` subscribers, so what happens next reaches them. */
const subscribed = (count: number) =>
  eventually(() => api.app.live.subscriberCount === count, `${count} live subscribers`, 5_000);

async function track<T extends LiveSubscriber>(subscriber: Promise<T>): Promise<T> {
  const started = await subscriber;
  subscribers.push(started);
  return started;
}

beforeAll(async () => {
  pipeline = await startLivePipeline(api, quiet);
  transport = pipeline.transport;
}, 60_000);

afterEach(async () => {
  await Promise.all(subscribers.splice(0).map((subscriber) => subscriber.stop()));
  await Promise.all(services.splice(0).map((service) => service.stop()));
  await eventually(() => api.app.live.subscriberCount === 0, 'subscribers to leave', 5_000);
});

afterAll(() => pipeline?.stop());

describe('reminders', () => {
  it("reach the owner's WebSocket and SSE subscriptions within 1 s of their time, and no one else's", async () => {
    const [owner, other] = [await api.user('owner'), await api.user('other')];
    const ws = await track(wsSubscribe(wsClient(api.url, owner.token), REMINDERS));
    const sse = await track(sseSubscribe(api.url, owner.token, REMINDERS));
    const otherWs = await track(wsSubscribe(wsClient(api.url, other.token), REMINDERS));
    const otherSse = await track(sseSubscribe(api.url, other.token, REMINDERS));
    expect(sse.status).toBe(200);
    await subscribed(4);
    await startNotification();

    const remindAt = msFromNow(5_000);
    const task = await createReminderTask(owner, remindAt, 'Call the dentist');
    await eventually(
      () => ws.received.length > 0 && sse.received.length > 0,
      'the reminder on both transports',
      10_000,
    );
    for (const subscriber of [ws, sse]) {
      const [received] = subscriber.received;
      expect(received!.errors).toBeUndefined();
      expect(received!.data!.reminders).toMatchObject({
        remindAt: remindAt.toISOString(),
        dueAt: task.dueAt,
        late: false,
        task: { id: task.id, title: 'Call the dentist' },
      });
      expect(received!.at - remindAt.getTime()).toBeLessThan(1_000);
    }
    await pause(1_000);
    expect(ws.received).toHaveLength(1);
    expect(sse.received).toHaveLength(1);
    expect(otherWs.received).toEqual([]);
    expect(otherSse.received).toEqual([]);
  }, 30_000);

  it('arrive exactly once with two notification service replicas running', async () => {
    const owner = await api.user('owner');
    const ws = await track(wsSubscribe(wsClient(api.url, owner.token), REMINDERS));
    await subscribed(1);
    const secondKnex = createKnex(api.databaseUrl, { poolMax: 4 });
    try {
      await startNotification();
      await startNotification(secondKnex);
      const remindAt = msFromNow(4_000);
      const tasks = [];
      for (let i = 0; i < 10; i++)
        tasks.push(await createReminderTask(owner, remindAt, `Task ${i}`));
      await eventually(() => ws.received.length >= 10, 'ten reminders', 15_000);
      await pause(1_500);
      const ids = ws.received.map((received) => received.data!.reminders.task.id).sort();
      expect(ids).toEqual(tasks.map((task) => task.id).sort());
      await Promise.all(services.splice(0).map((service) => service.stop()));
    } finally {
      await secondKnex.destroy();
    }
  }, 30_000);

  it('arrive once when the broker holds a reminder twice (a relay resent a batch it could not mark)', async () => {
    const owner = await api.user('owner');
    const ws = await track(wsSubscribe(wsClient(api.url, owner.token), REMINDERS));
    const sse = await track(sseSubscribe(api.url, owner.token, REMINDERS));
    await subscribed(2);
    await startNotification();
    const task = await createReminderTask(owner, msFromNow(1_000));
    await eventually(
      () => ws.received.length > 0 && sse.received.length > 0,
      'the reminder on both transports',
      10_000,
    );
    const [due] = await remindersInOutbox(api.knex, task.id);
    // The copy, then another reminder on the same key: its partition delivers them in this order,
    // so once the marker arrived the copy was consumed.
    const marker = { ...due!, id: randomUUID() };
    await transport.publish(
      [due!, marker].map((event) => ({
        topic: TOPICS.taskReminders.name,
        key: event.taskId,
        value: JSON.stringify(event),
        headers: { 'event-id': event.id, 'event-type': event.type },
      })),
    );
    for (const subscriber of [ws, sse]) {
      await eventually(() => subscriber.received.length >= 2, 'the marker reminder', 10_000);
      expect(subscriber.received.map((item) => item.data!.reminders.id)).toEqual([
        due!.id,
        marker.id,
      ]);
    }
  }, 30_000);

  it('that fell due while the service was stopped arrive once, marked late, when it starts', async () => {
    const owner = await api.user('owner');
    const ws = await track(wsSubscribe(wsClient(api.url, owner.token), REMINDERS));
    await subscribed(1);
    const remindAt = msFromNow(1_500);
    const task = await createReminderTask(owner, remindAt);
    // Late means sent more than LATE_AFTER_MS after its time.
    await pause(remindAt.getTime() + LATE_AFTER_MS + 1_000 - Date.now());
    expect(ws.received).toEqual([]);

    await startNotification();
    await eventually(() => ws.received.length > 0, 'the late reminder', 10_000);
    await pause(1_500);
    expect(ws.received).toHaveLength(1);
    expect(ws.received[0]!.data!.reminders).toMatchObject({
      remindAt: remindAt.toISOString(),
      late: true,
      task: { id: task.id },
    });
  }, 30_000);
});

describe('taskEvents', () => {
  const titleUpdate = (user: TestUser, id: string, title: string) =>
    user.gql(
      `mutation($id: ID!, $title: String!) { updateTask(id: $id, input: { title: $title }) { __typename } }`,
      { id, title },
    );

  it('resumes after the last event a client saw: exactly the missed ones, in order, then live ones', async () => {
    const owner = await api.user('owner');
    const client = wsClient(api.url, owner.token);
    const first = await track(wsSubscribe(client, TASK_EVENTS));
    await subscribed(1);
    const task = await createTask(owner, { title: 'v1' });
    await eventually(() => first.received.length === 1, 'the created event', 10_000);
    const seen = first.received[0]!.data!.taskEvents;
    expect(seen).toMatchObject({ type: 'CREATED', task: { id: task.id, title: 'v1' } });
    await first.stop();
    await client.dispose();
    await subscribed(0);

    await titleUpdate(owner, task.id, 'v2');
    const other = await createTask(owner, { title: 'another' });
    await owner.gql(`mutation($id: ID!) { completeTask(id: $id) { __typename } }`, { id: task.id });

    const resumed = await track(
      wsSubscribe(wsClient(api.url, owner.token), TASK_EVENTS, { after: seen.id }),
    );
    await eventually(() => resumed.received.length >= 3, 'the three missed events', 10_000);
    await subscribed(1);
    await titleUpdate(owner, other.id, 'live');
    await eventually(() => resumed.received.length >= 4, 'the live event', 10_000);
    await pause(1_000);
    const events = resumed.received.map((received) => received.data!.taskEvents);
    expect(events.map((event) => [event.type, event.task.id, event.task.title])).toEqual([
      ['UPDATED', task.id, 'v2'],
      ['CREATED', other.id, 'another'],
      ['COMPLETED', task.id, 'v2'],
      ['UPDATED', other.id, 'live'],
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(4);
  }, 30_000);

  it("answers another user's or an unknown event id with RESYNC_REQUIRED, and a malformed one with VALIDATION_ERROR", async () => {
    const [owner, other] = [await api.user('owner'), await api.user('other')];
    const ownerEvents = await track(wsSubscribe(wsClient(api.url, owner.token), TASK_EVENTS));
    await subscribed(1);
    await createTask(owner, { title: 'private' });
    await eventually(() => ownerEvents.received.length === 1, 'the owner event', 10_000);
    const ownerEventId = ownerEvents.received[0]!.data!.taskEvents.id;

    for (const [after, code] of [
      [ownerEventId, 'RESYNC_REQUIRED'],
      [randomUUID(), 'RESYNC_REQUIRED'],
      ['not-an-id', 'VALIDATION_ERROR'],
    ]) {
      const attempt = await track(
        wsSubscribe(wsClient(api.url, other.token), TASK_EVENTS, { after }),
      );
      await eventually(() => attempt.ended, `the ${code} error`, 5_000);
      expect(attempt.received.map((received) => received.errors?.[0]?.extensions?.code)).toEqual([
        code,
      ]);
    }
    const sse = await track(
      sseSubscribe(api.url, other.token, TASK_EVENTS, { after: ownerEventId }),
    );
    await eventually(() => sse.ended, 'the SSE error', 5_000);
    expect(sse.received[0]!.errors![0]!.extensions!.code).toBe('RESYNC_REQUIRED');
    expect(JSON.stringify(sse.received)).not.toContain('private');
  }, 30_000);
});

it('skips messages on the live topics that are not valid events, and goes on delivering', async () => {
  const owner = await api.user('owner');
  const events = await track(wsSubscribe(wsClient(api.url, owner.token), TASK_EVENTS));
  const reminders = await track(wsSubscribe(wsClient(api.url, owner.token), REMINDERS));
  await subscribed(2);
  // Many keys, so that every partition (and the one the next task event takes) holds poison.
  const keys = Array.from({ length: 32 }, (_, i) => `poison-${i}`);
  await transport.publish(
    [TOPICS.taskEvents.name, TOPICS.taskReminders.name].flatMap((topic) =>
      keys.flatMap((key) => [
        { topic, key, value: 'not json' },
        { topic, key, value: JSON.stringify({ type: 'task.created', userId: owner.userId }) },
      ]),
    ),
  );
  const task = await createTask(owner, { title: 'After the poison' });
  await eventually(() => events.received.length === 1, 'the task event', 10_000);
  expect(events.received[0]!.data!.taskEvents).toMatchObject({
    type: 'CREATED',
    task: { id: task.id, title: 'After the poison' },
  });
  expect(reminders.received).toEqual([]);
  expect(events.ended).toBe(false);
}, 30_000);

describe('authentication', () => {
  /** Opens a raw graphql-ws socket, sends `connection_init` with `payload`, returns the close code. */
  const closeCodeFor = (payload: unknown) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(wsUrlOf(api.url), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });

  it('refuses a WebSocket connection without a valid token at connection time', async () => {
    const foreign = await signToken('x'.repeat(64), 'someone');
    const expired = await signToken(api.secret, 'someone', { expiresIn: -60 });
    expect(await closeCodeFor(undefined)).toBe(4403);
    expect(await closeCodeFor({ authorization: 'Bearer not-a-jwt' })).toBe(4403);
    expect(await closeCodeFor({ authorization: `Bearer ${foreign}` })).toBe(4403);
    expect(await closeCodeFor({ authorization: `Bearer ${expired}` })).toBe(4403);
  });

  it('ends the connection when the token expires', async () => {
    const token = await signToken(api.secret, `expiring-${randomUUID()}`, { expiresIn: '2s' });
    const closed = await new Promise<{ code: number; after: number }>((resolve, reject) => {
      const socket = new WebSocket(wsUrlOf(api.url), 'graphql-transport-ws');
      const opened = Date.now();
      socket.on('open', () =>
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') {
          socket.send(
            JSON.stringify({ id: '1', type: 'subscribe', payload: { query: REMINDERS } }),
          );
        }
      });
      socket.on('close', (code) => resolve({ code, after: Date.now() - opened }));
      socket.on('error', reject);
    });
    expect(closed.code).toBe(4401);
    expect(closed.after).toBeGreaterThan(500);
    expect(closed.after).toBeLessThan(3_500);
  });

  it('answers an SSE subscription without a token with 401', async () => {
    const sse = await sseSubscribe(api.url, undefined, REMINDERS);
    await sse.stop();
    expect(sse.status).toBe(401);
  });
});
