import { createKnex } from '../../db/knex.ts';
import { createTask, useTestApi } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import { claimDueReminders, type ReminderDue } from './claim-reminders.ts';
import { latencyOf, msFromNow, remindersInOutbox, schedulers } from '../../test/notification.ts';

// The scheduler claims the reminders of every user, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });
const running = schedulers();

beforeEach(async () => {
  await api.knex('tasks').delete();
});
afterEach(() => running.stopAll());

const countByTask = (events: ReminderDue[]) => {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.taskId, (counts.get(event.taskId) ?? 0) + 1);
  return counts;
};

it('two schedulers over 50 reminders due at the same moment claim each exactly once', async () => {
  const user = await api.user();
  const remindAt = msFromNow(5_000);
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const task = await createTask(user, {
      title: `Same moment ${i}`,
      dueAt: remindAt.toISOString(),
      remindBeforeMinutes: 0,
    });
    expect(task.remindAt).toBe(remindAt.toISOString());
    ids.push(task.id);
  }
  expect(Date.now()).toBeLessThan(remindAt.getTime());
  const replicas = [
    createKnex(api.databaseUrl, { poolMax: 2 }),
    createKnex(api.databaseUrl, { poolMax: 2 }),
  ];
  const claimedBy = [0, 0];
  try {
    replicas.forEach((knex, replica) =>
      running.start({
        knex,
        batchSize: 5,
        onClaimed: (events) => (claimedBy[replica]! += events.length),
      }),
    );
    await eventually(
      async () => (await remindersInOutbox(api.knex)).length >= 50,
      'all 50 reminders',
      20_000,
    );
    await running.stopAll();
  } finally {
    await Promise.all(replicas.map((knex) => knex.destroy()));
  }
  const events = await remindersInOutbox(api.knex);
  const counts = countByTask(events);
  expect([...counts.keys()].sort()).toEqual([...ids].sort());
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
  expect(claimedBy[0]! + claimedBy[1]!).toBe(50);
  expect(events.every((event) => !event.payload.late)).toBe(true);
  const latencies = events.map(latencyOf).sort((a, b) => a - b);
  console.log('two replicas, 50 reminders at one moment:', {
    claimedByReplica: claimedBy,
    latencyMs: { min: latencies[0], p50: latencies[25], max: latencies.at(-1) },
  });
  expect(latencies.at(-1)).toBeLessThan(3_000);
}, 60_000);

it('concurrent claims over due reminders never claim one twice', async () => {
  const user = await api.user();
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const task = await createTask(user, {
      title: `Due ${i}`,
      dueAt: msFromNow(3_600_000).toISOString(),
      remindBeforeMinutes: 10,
    });
    ids.push(task.id);
  }
  // Already due: as if written while every scheduler was down.
  await api
    .knex('tasks')
    .whereIn('id', ids)
    .update({ remind_at: msFromNow(-60_000) });
  const knex = createKnex(api.databaseUrl, { poolMax: 10 });
  try {
    const claimers = Array.from({ length: 10 }, async () => {
      const mine: ReminderDue[] = [];
      for (;;) {
        const claimed = await claimDueReminders(knex, { limit: 3 });
        if (claimed.length === 0) return mine;
        mine.push(...claimed);
      }
    });
    const claimed = (await Promise.all(claimers)).flat();
    expect(claimed).toHaveLength(50);
    expect(new Set(claimed.map((event) => event.taskId)).size).toBe(50);
    expect(claimed.every((event) => event.payload.late)).toBe(true);
  } finally {
    await knex.destroy();
  }
  const inOutbox = await remindersInOutbox(api.knex);
  const counts = countByTask(inOutbox.filter((event) => ids.includes(event.taskId)));
  expect(counts.size).toBe(50);
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
  const rows = await api.knex('tasks').whereIn('id', ids).whereNull('reminder_sent_at');
  expect(rows).toHaveLength(0);
}, 60_000);
