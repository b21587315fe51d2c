import { pino } from 'pino';
import { metricsRegistry } from '../lib/metrics.ts';
import { newEvent } from '../model/events/new-event.ts';
import type { TaskSnapshot } from '../model/events/task-snapshot.ts';
import { InProcessTransport } from '../messaging/in-process-transport.ts';
import { sampleSnapshot } from '../test/events.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';
import { appendToOutbox } from './append.ts';
import { OutboxRelay } from './relay.ts';
import { userEventsAfter } from './user-events.ts';

const knex = testKnex();
const relay = new OutboxRelay({
  knex,
  transport: new InProcessTransport(),
  logger: pino({ level: 'silent' }),
});
afterAll(async () => {
  await relay.stop();
  await knex.destroy();
});

const created = (userId: string, overrides: Partial<TaskSnapshot> = {}) => {
  const task = sampleSnapshot(overrides);
  return newEvent('task.created', userId, task.id, { task });
};

/** How many unreadable rows readers have skipped so far. */
async function skipped(): Promise<number> {
  const metric = metricsRegistry.getSingleMetric('todo_unreadable_events_skipped_total');
  return (await metric?.get())?.values.reduce((sum, { value }) => sum + value, 0) ?? 0;
}

it('fault: a row the event schema refuses made userEventsAfter throw; it is now skipped, its number kept, and counted', async () => {
  const userId = uniqueUserId('unreadable');
  const first = created(userId);
  // What the API used to store for a due date of 9999-12-31T23:00:00-14:00.
  const bad = created(userId, { dueAt: '+010000-01-01T13:00:00.000Z' });
  const last = created(userId);
  await knex.transaction((trx) => appendToOutbox(trx, [first, bad, last]));
  while ((await relay.relayBatch()) > 0);
  const before = await skipped();

  const rows = await userEventsAfter(knex, userId, 0, 10);
  expect(rows.map((row) => [row.seq, row.event?.id ?? null])).toEqual([
    [1, first.id],
    [2, null],
    [3, last.id],
  ]);
  expect(rows[1]).toMatchObject({ seq: 2, eventId: bad.id, event: null });
  expect(rows[1]!.event === null && rows[1]!.problem).toMatch(/^payload\.task\.dueAt: /);
  expect(await skipped()).toBe(before + 1);
});
