import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { fanOutEvents } from './deliveries.ts';
import type { Event, EventType } from '../model/events/contracts.ts';
import { insertWebhookChannel } from '../test/delivery.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';

let knex: Knex;
beforeAll(() => {
  knex = testKnex();
});
afterAll(() => knex.destroy());

const receiver = {
  url: 'https://hooks.example.com/in',
  secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=',
};

/** An event as the consumer hands it over; the fan-out stores it whole and reads only these fields. */
const event = (type: EventType, userId: string) =>
  ({
    id: randomUUID(),
    type,
    userId,
    taskId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload: {},
  }) as unknown as Event;

it("fans a batch of several users' events out to each user's own channels that want them, once", async () => {
  const [alice, bob] = [uniqueUserId('fan-a'), uniqueUserId('fan-b')];
  const aliceHook = await insertWebhookChannel(knex, alice, receiver, [
    'task.created',
    'task.deleted',
  ]);
  const bobHook = await insertWebhookChannel(knex, bob, receiver, ['task.created']);
  const batch = [
    event('task.created', alice),
    event('task.created', bob),
    event('task.deleted', alice),
    event('task.deleted', bob), // Bob's webhook does not ask for deletions
    event('task.completed', alice), // nor does Alice's for completions
  ];
  const created = await knex.transaction((trx) => fanOutEvents(trx, batch));
  expect(created).toBe(3);
  const deliveries = await knex('deliveries')
    .whereIn('channel_id', [aliceHook, bobHook])
    .select('channel_id', 'user_id', 'event_id', 'event_type', 'task_id', 'event');
  const position = (d: { event_id: string }) => batch.findIndex((e) => e.id === d.event_id);
  const to = (channel: string) =>
    deliveries.filter((d) => d.channel_id === channel).sort((a, b) => position(a) - position(b));
  expect(to(aliceHook).map((d) => [d.user_id, d.event_id, d.event_type])).toEqual([
    [alice, batch[0]!.id, 'task.created'],
    [alice, batch[2]!.id, 'task.deleted'],
  ]);
  expect(to(bobHook).map((d) => [d.user_id, d.event_id])).toEqual([[bob, batch[1]!.id]]);
  expect(to(bobHook)[0]).toMatchObject({ task_id: batch[1]!.taskId, event: batch[1] });
  // The same batch again (a redelivery) creates nothing.
  expect(await knex.transaction((trx) => fanOutEvents(trx, batch))).toBe(0);
  expect(await knex.transaction((trx) => fanOutEvents(trx, []))).toBe(0);
});
