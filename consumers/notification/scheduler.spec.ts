import { createKnex } from '../../db/knex.ts';
import { mutate, useTestApi } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import {
  createReminderTask,
  latencyOf,
  msFromNow,
  pause,
  remindersInOutbox,
  schedulers,
} from '../../test/notification.ts';

// The scheduler claims the reminders of every user, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });
const running = schedulers();
const latencies: Record<string, number> = {};

beforeEach(async () => {
  await api.knex('tasks').delete();
});
afterEach(() => running.stopAll());
afterAll(() => console.log('reminder latency (firedAt - remindAt), ms:', latencies));

const fired = async (taskId: string, count = 1) => {
  await eventually(
    async () => (await remindersInOutbox(api.knex, taskId)).length >= count,
    `reminder ${count} of task ${taskId}`,
    20_000,
  );
  return remindersInOutbox(api.knex, taskId);
};

it('sends a reminder due 2 s ahead at its time, once, not late', async () => {
  const user = await api.user();
  const remindAt = msFromNow(2_000);
  const task = await createReminderTask(user, remindAt);
  const scheduler = running.start({ knex: api.knex });

  const [event] = await fired(task.id);
  await pause(1_000);
  expect(await remindersInOutbox(api.knex, task.id)).toHaveLength(1);
  expect(event).toMatchObject({
    type: 'reminder.due',
    userId: user.userId,
    taskId: task.id,
    payload: {
      task: { id: task.id, remindAt: task.remindAt },
      remindAt: task.remindAt,
      dueAt: task.dueAt,
      late: false,
    },
  });
  expect(event!.payload.task.reminderSentAt).toBe(event!.payload.firedAt);
  latencies['2 s ahead'] = latencyOf(event!);
  expect(latencyOf(event!)).toBeGreaterThanOrEqual(0);
  expect(latencyOf(event!)).toBeLessThan(3_000);
  await running.stop(scheduler);
}, 30_000);

it('sleeps until the next reminder, and wakes early for a sooner one', async () => {
  const user = await api.user();
  const knex = createKnex(api.databaseUrl, { poolMax: 2 });
  let cycles = 0;
  knex.on('query', (query: { sql: string }) => {
    if (query.sql.includes('min(remind_at)')) cycles++;
  });
  try {
    const first = await createReminderTask(user, msFromNow(3_000), 'in 3 s');
    const scheduler = running.start({ knex });
    await eventually(() => scheduler.nextReminderAt !== undefined, 'the scheduler to sleep');
    expect(scheduler.nextReminderAt?.toISOString()).toBe(first.remindAt);
    const [event] = await fired(first.id);
    latencies['3 s ahead, sleeping'] = latencyOf(event!);
    expect(latencyOf(event!)).toBeLessThan(3_000);
    // One look at the next reminder on start, one after firing it: no polling in between.
    expect(cycles).toBeLessThanOrEqual(3);

    const later = await createReminderTask(user, msFromNow(6_000), 'in 6 s');
    scheduler.wake(new Date(later.remindAt));
    await eventually(
      () => scheduler.nextReminderAt?.toISOString() === later.remindAt,
      'the scheduler to sleep until the later reminder',
    );
    const before = cycles;
    scheduler.wake(new Date(Date.parse(later.remindAt) + 60_000));
    await pause(100);
    expect(cycles).toBe(before);

    const sooner = await createReminderTask(user, msFromNow(1_500), 'in 1.5 s');
    scheduler.wake(new Date(sooner.remindAt));
    const [soonerEvent] = await fired(sooner.id);
    latencies['1.5 s ahead, after wake()'] = latencyOf(soonerEvent!);
    expect(latencyOf(soonerEvent!)).toBeLessThan(3_000);
    expect(await remindersInOutbox(api.knex, later.id)).toHaveLength(0);

    const [laterEvent] = await fired(later.id);
    latencies['6 s ahead, after the sooner one'] = latencyOf(laterEvent!);
    expect(latencyOf(laterEvent!)).toBeLessThan(3_000);
    await running.stop(scheduler);
  } finally {
    await knex.destroy();
  }
}, 30_000);

it('sends a reminder that fell due while no scheduler ran once, marked late', async () => {
  const user = await api.user();
  const task = await createReminderTask(user, msFromNow(1_000));
  await pause(7_000);
  expect(await remindersInOutbox(api.knex, task.id)).toHaveLength(0);

  const scheduler = running.start({ knex: api.knex });
  const [event] = await fired(task.id);
  expect(event!.payload).toMatchObject({ remindAt: task.remindAt, late: true });
  expect(latencyOf(event!)).toBeGreaterThan(5_000);
  await running.stop(scheduler);

  const again = running.start({ knex: api.knex });
  await pause(500);
  await running.stop(again);
  expect(await remindersInOutbox(api.knex, task.id)).toHaveLength(1);
}, 30_000);

it('never reminds of a completed or deleted task; changing the reminder or due date re-arms it', async () => {
  const user = await api.user();
  const at = msFromNow(1_500);
  const kept = await createReminderTask(user, at, 'kept');
  const completed = await createReminderTask(user, at, 'completed');
  const deleted = await createReminderTask(user, at, 'deleted');
  expect((await mutate(user, 'completeTask', { id: completed.id })).__typename).toBe(
    'CompleteTaskSuccess',
  );
  expect((await mutate(user, 'deleteTask', { id: deleted.id })).__typename).toBe(
    'DeleteTaskSuccess',
  );
  const scheduler = running.start({ knex: api.knex });
  await fired(kept.id);
  await pause(1_000);
  expect(await remindersInOutbox(api.knex, completed.id)).toHaveLength(0);
  expect(await remindersInOutbox(api.knex, deleted.id)).toHaveLength(0);

  const dueAgain = msFromNow(1_500 + 10 * 60_000);
  const moved = await mutate(user, 'updateTask', {
    id: kept.id,
    input: { dueAt: dueAgain.toISOString() },
  });
  const movedReminder = new Date(dueAgain.getTime() - 10 * 60_000);
  expect(moved.task).toMatchObject({
    remindAt: movedReminder.toISOString(),
    reminderSentAt: null,
  });
  scheduler.wake(movedReminder);
  await fired(kept.id, 2);

  const reminderAgain = msFromNow(1_500);
  const set = await mutate(user, 'setReminder', {
    taskId: kept.id,
    remindAt: reminderAgain.toISOString(),
  });
  expect(set.task).toMatchObject({ remindAt: reminderAgain.toISOString(), reminderSentAt: null });
  scheduler.wake(reminderAgain);
  const events = await fired(kept.id, 3);
  await pause(500);
  expect(await remindersInOutbox(api.knex, kept.id)).toHaveLength(3);
  expect(events.map((event) => event.payload.remindAt)).toEqual([
    at.toISOString(),
    movedReminder.toISOString(),
    reminderAgain.toISOString(),
  ]);
  expect(events.map((event) => event.payload.late)).toEqual([false, false, false]);
  await running.stop(scheduler);
}, 40_000);
