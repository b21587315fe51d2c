import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { claimDueReminders } from '../consumers/notification/claim-reminders.ts';
import { recurrenceConsumer } from '../consumers/recurrence/index.ts';
import { applyTogether, type Wanted } from '../consumers/runtime/apply-events.ts';
import { TASK_COLUMNS, toTask, type TaskRow } from '../db/task-rows.ts';
import { tagIdsOfTasks } from '../db/task-tag-rows.ts';
import { isRetriable } from '../messaging/errors.ts';
import type { Event } from '../model/events/contracts.ts';
import { snapshotOf, type TaskSnapshot } from '../model/events/task-snapshot.ts';
import { TOPICS } from '../model/events/topics.ts';
import {
  completeTask,
  createInOrder,
  createLabel,
  createTask,
  mutate,
  useTestApi,
} from '../test/api.ts';
import { eventually } from '../test/kafka.ts';
import { updateTask } from './task-commands.ts';
import { addTagToTask } from './task-tags.ts';

// Reminder claims take the due reminders of every user, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });

/**
 * Every way the user's task events (the outbox rows of topic task-events, in the order they were
 * written) fail to account for the tasks: versions that do not start at 1 and go up by one (a
 * deletion repeats the last), or a stored task that differs from its last event.
 */
async function versionGaps(knex: Knex, userId: string): Promise<string[]> {
  const rows: { payload: Event }[] = await knex('outbox')
    .where({ user_id: userId, topic: TOPICS.taskEvents.name })
    .orderBy('id')
    .select('payload');
  const eventsOf = new Map<string, { type: string; task: TaskSnapshot }[]>();
  for (const { payload: event } of rows) {
    const events = eventsOf.get(event.taskId) ?? [];
    events.push({ type: event.type, task: (event.payload as { task: TaskSnapshot }).task });
    eventsOf.set(event.taskId, events);
  }
  const tasks = (await knex('tasks').where({ user_id: userId }).select(TASK_COLUMNS)).map(
    (row: TaskRow) => toTask(row),
  );
  const tags = await tagIdsOfTasks(
    knex,
    userId,
    tasks.map((task) => task.id),
  );
  const stored = new Map(tasks.map((task) => [task.id, snapshotOf(task, tags.get(task.id)!)]));
  const gaps: string[] = [];
  for (const id of new Set([...eventsOf.keys(), ...stored.keys()])) {
    const events = eventsOf.get(id) ?? [];
    const seen = events.map(({ type, task }) => `${type}@${task.version}`).join(' ');
    const consecutive = events.every(({ type, task }, i) => {
      if (i === 0) return type === 'task.created' && task.version === 1;
      const previous = events[i - 1]!.task.version;
      return task.version === (type === 'task.deleted' ? previous : previous + 1);
    });
    if (events.length === 0 || !consecutive) gaps.push(`${id}: versions ${seen || 'none'}`);
    const last = events.at(-1);
    const row = stored.get(id);
    if (!row) {
      if (last?.type !== 'task.deleted') gaps.push(`${id}: gone without task.deleted: ${seen}`);
      continue;
    }
    // A reminder firing is told by its reminder.due event, not by a task event.
    const differ = (Object.keys(row) as (keyof TaskSnapshot)[]).filter(
      (key) => key !== 'reminderSentAt' && !isDeepStrictEqual(row[key], last?.task[key]),
    );
    if (differ.length > 0) {
      gaps.push(`${id}: stored v${row.version} differs from its last event in ${differ}: ${seen}`);
    }
  }
  return gaps;
}

/** The task.completed events of the tasks, as the recurrence consumer receives them. */
async function completions(taskIds: string[]): Promise<Wanted[]> {
  const rows: { payload: Event }[] = await api
    .knex('outbox')
    .where({ event_type: 'task.completed' })
    .whereIn('message_key', taskIds)
    .orderBy('id')
    .select('payload');
  return rows.map(({ payload: event }, offset) => ({
    event,
    message: {
      topic: TOPICS.taskEvents.name,
      partition: 0,
      offset: String(offset),
      key: event.taskId,
      value: JSON.stringify(event),
      headers: {},
      timestamp: Date.now(),
    },
  }));
}

/** Applies a batch of the recurrence consumer as its runtime does, retrying transient failures. */
async function recur(taskIds: string[]): Promise<void> {
  const wanted = await completions(taskIds);
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyTogether({ knex: api.knex, spec: recurrenceConsumer, logger }, wanted);
    } catch (error) {
      if (!isRetriable(error) || attempt === 5) throw error;
    }
  }
}

/**
 * Runs `write` in a transaction that stays open, holding its locks, until `release()`;
 * `held` resolves once the write is done.
 */
function heldOpen(write: (trx: Knex) => Promise<unknown>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = api.knex.transaction(async (trx) => {
    await write(trx);
    wrote();
    await released;
  });
  return { held: Promise.race([written, done]), release, done };
}

const lockWaiters = async (): Promise<number> => {
  const { rows } = await api.knex.raw<{ rows: { n: number }[] }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
};
const waitingForALock = () => eventually(async () => (await lockWaiters()) > 0, 'a lock wait');

it('version gap: a no-op clearReminder or setReminder changes nothing, not even the version', async () => {
  const user = await api.user();
  const plain = await createTask(user, { title: 'No reminder' });
  const cleared = await mutate(user, 'clearReminder', { taskId: plain.id });
  expect(cleared.task).toMatchObject({ version: 1, updatedAt: plain.updatedAt });
  const reminded = await createTask(user, {
    title: 'Reminded',
    dueAt: '2030-01-01T10:00:00Z',
    remindBeforeMinutes: 30,
  });
  const set = await mutate(user, 'setReminder', { taskId: reminded.id, remindBeforeMinutes: 30 });
  expect(set.task).toMatchObject({ version: 1, updatedAt: reminded.updatedAt });
  expect(await versionGaps(api.knex, user.userId)).toEqual([]);
});

it('version gap: a tag deleted while it is being assigned takes it off the task with a task.updated event', async () => {
  const user = await api.user();
  const tag = await createLabel(user, 'Tag', 'soon');
  const tagged = await createTask(user, { title: 'Tagged before', tagIds: [tag.id] });
  const task = await createTask(user, { title: 'Tagged meanwhile' });
  const assigning = heldOpen((trx) =>
    addTagToTask({ db: trx, userId: user.userId }, task.id, tag.id),
  );
  await assigning.held;
  const deleting = mutate(user, 'deleteTag', { id: tag.id });
  await waitingForALock();
  assigning.release();
  await assigning.done;
  expect((await deleting).__typename).toBe('DeleteTagSuccess');
  expect(await api.knex('task_tags').whereIn('task_id', [task.id, tagged.id])).toEqual([]);
  expect(await versionGaps(api.knex, user.userId)).toEqual([]);
});

it('version gap: a category deleted while it is being assigned leaves its tasks with one new version each, and its event', async () => {
  const user = await api.user();
  const category = await createLabel(user, 'Category', 'Home');
  const filed = await createTask(user, { title: 'Filed before', categoryId: category.id });
  const task = await createTask(user, { title: 'Filed meanwhile' });
  const assigning = heldOpen((trx) =>
    updateTask({ db: trx, userId: user.userId }, task.id, { categoryId: category.id }),
  );
  await assigning.held;
  const deleting = mutate(user, 'deleteCategory', { id: category.id });
  await waitingForALock();
  assigning.release();
  await assigning.done;
  expect((await deleting).__typename).toBe('DeleteCategorySuccess');
  const rows = await api.knex('tasks').whereIn('id', [filed.id, task.id]).orderBy('title');
  expect(rows.map((row) => [row.category_id, row.version])).toEqual([
    [null, 2],
    [null, 3],
  ]);
  expect(await versionGaps(api.knex, user.userId)).toEqual([]);
});

it('version gap: deleting a completed recurring task records what that does to its next instance', async () => {
  const user = await api.user();
  const task = await createTask(user, {
    title: 'Weekly review',
    dueAt: '2030-01-01T09:00:00Z',
    recurrenceRule: 'FREQ=WEEKLY',
  });
  await completeTask(user, task.id);
  await recur([task.id]);
  expect((await mutate(user, 'deleteTask', { id: task.id })).__typename).toBe('DeleteTaskSuccess');
  const next = await api.knex('tasks').where({ user_id: user.userId }).first();
  expect(next).toMatchObject({ previous_task_id: null, version: 2 });
  expect(await versionGaps(api.knex, user.userId)).toEqual([]);
});

it('version-gap checker: after a concurrent mix of operations, racy ones included, every task has consecutive event versions ending at its stored row', async () => {
  for (let round = 0; round < 3; round++) {
    const user = await api.user();
    const [soon, later] = [
      await createLabel(user, 'Tag', 'soon'),
      await createLabel(user, 'Tag', 'later'),
    ];
    const [home, work] = [
      await createLabel(user, 'Category', 'Home'),
      await createLabel(user, 'Category', 'Work'),
    ];
    const plain = await createInOrder(
      user,
      Array.from({ length: 6 }, (_, i) => ({
        title: `Plain ${i}`,
        ...(i % 2 ? { tagIds: [soon.id] } : {}),
        ...(i % 3 ? { categoryId: home.id } : {}),
      })),
    );
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const reminding = await createInOrder(
      user,
      [0, 1, 2].map((i) => ({ title: `Reminding ${i}`, dueAt: inAnHour, categoryId: work.id })),
    );
    const recurring = await createInOrder(
      user,
      [0, 1].map((i) => ({
        title: `Recurring ${i}`,
        dueAt: '2030-01-01T09:00:00Z',
        recurrenceRule: 'FREQ=DAILY',
        categoryId: home.id,
        tagIds: [soon.id],
      })),
    );
    for (const task of recurring) await completeTask(user, task.id);
    await recur([recurring[0].id]);

    await Promise.all([
      ...plain.map((task) => mutate(user, 'addTagToTask', { taskId: task.id, tagId: soon.id })),
      mutate(user, 'deleteTag', { id: soon.id }),
      ...plain.map((task) =>
        mutate(user, 'updateTask', { id: task.id, input: { categoryId: work.id } }),
      ),
      mutate(user, 'deleteCategory', { id: home.id }),
      mutate(user, 'deleteCategory', { id: work.id }),
      mutate(user, 'createTask', {
        input: { title: 'New', categoryId: work.id, tagIds: [later.id] },
      }),
      ...plain.map((task) => mutate(user, 'clearReminder', { taskId: task.id })),
      ...reminding.map((task) =>
        mutate(user, 'updateTask', { id: task.id, input: { priority: 'HIGH' } }),
      ),
      claimDueReminders(api.knex),
      mutate(user, 'deleteTask', { id: recurring[0].id }),
      recur([recurring[1].id]),
      mutate(user, 'removeTagFromTask', { taskId: recurring[1].id, tagId: soon.id }),
    ]);
    await claimDueReminders(api.knex);

    expect(await versionGaps(api.knex, user.userId)).toEqual([]);
  }
}, 90_000);
