import { pino } from 'pino';
import { recurrenceConsumer } from '../consumers/recurrence/index.ts';
import { applyTogether, type Wanted } from '../consumers/runtime/apply-events.ts';
import type { ConsumerSpec } from '../consumers/runtime/consumer-spec.ts';
import { isRetriable } from '../messaging/errors.ts';
import type { Event } from '../model/events/contracts.ts';
import { TOPICS } from '../model/events/topics.ts';
import { completeTask, createLabel, createTask, MUTATIONS, useTestApi } from '../test/api.ts';
import { eventually } from '../test/kafka.ts';

// Waiting backends are counted per database, so the spec has one of its own.
const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });

/** The task.completed events of the tasks, as the recurrence consumer receives them. */
async function completions(taskIds: string[]): Promise<Wanted[]> {
  const rows: { payload: Event }[] = await api
    .knex('outbox')
    .where({ event_type: 'task.completed' })
    .whereIn('message_key', taskIds)
    .select('payload');
  const byTask = new Map(rows.map(({ payload }) => [payload.taskId, payload]));
  return taskIds.map((id, offset) => {
    const event = byTask.get(id)!;
    const value = JSON.stringify(event);
    return {
      event,
      message: {
        topic: TOPICS.taskEvents.name,
        partition: 0,
        offset: String(offset),
        key: id,
        value,
        headers: {},
        timestamp: Date.now(),
      },
    };
  });
}

/** Applies a batch as the consumer runtime does: a transient failure retries the whole batch. */
async function applyBatch(spec: ConsumerSpec, wanted: Wanted[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyTogether({ knex: api.knex, spec, logger }, wanted);
    } catch (error) {
      if (!isRetriable(error) || attempt === 5) throw error;
    }
  }
}

const lockWaiters = async (): Promise<number> => {
  const { rows } = await api.knex.raw<{ rows: { n: number }[] }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
};

const deadlocks = async (): Promise<number> => {
  const { rows } = await api.knex.raw<{ rows: { n: number }[] }>(
    `SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return rows[0]!.n;
};

/** The recurrence consumer as it would run without its `handleBatch`: one event at a time. */
const oneAtATime = (consumer: ConsumerSpec): ConsumerSpec => ({
  ...consumer,
  handleBatch: undefined,
});

/**
 * Two completed recurring tasks in one category; a recurrence batch (`as` wraps the consumer)
 * applies the completion of the one with the higher id first and pauses, holding it, until
 * deleteCategory waits for a lock. Checks that deleteCategory succeeded and that nothing either
 * wrote was lost; resolves to how many deadlocks PostgreSQL broke meanwhile.
 */
async function race(as: (consumer: ConsumerSpec) => ConsumerSpec = (consumer) => consumer) {
  const user = await api.user();
  const category = await createLabel(user, 'Category', 'Chores');
  const recurring = {
    title: 'Water the plants',
    dueAt: '2030-01-01T09:00:00Z',
    recurrenceRule: 'FREQ=DAILY',
    categoryId: category.id,
  };
  // `low` sorts first by id and by place in the table, so deleteCategory meets it first
  // whichever order it locks in; the batch completes `high` first.
  const low = await createTask(user, recurring);
  let high = await createTask(user, recurring);
  while (high.id < low.id) high = await createTask(user, recurring);
  await completeTask(user, low.id);
  await completeTask(user, high.id);

  let heldHigh!: () => void;
  const holdingHigh = new Promise<void>((resolve) => (heldHigh = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const gated: ConsumerSpec = {
    ...recurrenceConsumer,
    async handle(event, context) {
      await recurrenceConsumer.handle(event, context);
      if (event.taskId === high.id) {
        heldHigh();
        await released;
      }
    },
  };
  const deadlocksBefore = await deadlocks();
  const batch = applyBatch(as(gated), await completions([high.id, low.id]));
  await holdingHigh;
  const deleting = user.gql(MUTATIONS.deleteCategory, { id: category.id });
  await eventually(async () => (await lockWaiters()) > 0, 'deleteCategory to wait for a lock');
  release();
  const [answer] = await Promise.all([deleting, batch]);

  expect(answer.errors).toBeUndefined();
  expect(answer.data!.deleteCategory.__typename).toBe('DeleteCategorySuccess');
  const tasks = await api.knex('tasks').where({ user_id: user.userId });
  const next = tasks.filter((task) => [low.id, high.id].includes(task.previous_task_id));
  expect(next).toHaveLength(2);
  expect(tasks.map((task) => task.category_id)).toEqual(tasks.map(() => null));
  expect(await api.knex('categories').where({ id: category.id })).toEqual([]);
  // The statistics reach pg_stat_database once the backend reports them, at the latest when idle.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return { deadlocks: (await deadlocks()) - deadlocksBefore };
}

it('deadlock: a recurrence batch and deleteCategory lock the same tasks in opposite orders; no 40P01 reaches the client and no write is lost', async () => {
  // The race is built so that PostgreSQL must break a deadlock here; the next test relies on it.
  expect((await race(oneAtATime)).deadlocks).toBeGreaterThan(0);
}, 30_000);

it('deadlock: the recurrence consumer locks the tasks of a batch first, in id order, and never deadlocks with deleteCategory', async () => {
  expect(await race()).toEqual({ deadlocks: 0 });
}, 30_000);
