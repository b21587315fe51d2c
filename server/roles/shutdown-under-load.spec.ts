import { completeTask, createTask, useTestApi } from '../../test/api.ts';
import { requireTestEnv } from '../../test/env.ts';
import { eventually } from '../../test/kafka.ts';
import { startRole, useConsumerGroupsAlone } from '../../test/roles.ts';
import { unsentRows } from '../../outbox/unsent.ts';

// Starts consumer roles on the run's broker: see useConsumerGroupsAlone.
useConsumerGroupsAlone();

// The relay drains its whole database: the spec has one of its own.
const api = useTestApi({ ownDatabase: true });
const TASKS = 400;

const count = async (query: Promise<Array<{ count: string | number }>>) =>
  Number((await query)[0]!.count);

it('SIGTERM to the relay and the recurring task service mid-load loses nothing and applies nothing twice', async () => {
  const user = await api.user('load');
  const completed: string[] = [];
  const env = { DATABASE_URL: api.databaseUrl, KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS') };
  const instances = () =>
    count(api.knex('tasks').whereIn('previous_task_id', completed).count({ count: '*' }));

  let relay = startRole('relay', env);
  let recurrence = startRole('recurrence', env);
  try {
    await Promise.all([relay.url(), recurrence.url()]);
    // The load goes on while the services stop and start again.
    const writing = (async () => {
      for (let i = 0; i < TASKS; i++) {
        const task = await createTask(user, {
          title: `Daily ${i}`,
          dueAt: '2031-01-01T09:00:00Z',
          recurrenceRule: 'FREQ=DAILY',
        });
        await completeTask(user, task.id);
        completed.push(task.id);
      }
    })();
    await eventually(async () => (await instances()) > 0, 'the first next instances', 60_000);
    const [relayStopped, recurrenceStopped] = await Promise.all([relay.stop(), recurrence.stop()]);
    for (const stopped of [relayStopped, recurrenceStopped]) {
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
    }
    // Were they stopped only after the load was over, the test would prove nothing.
    expect(completed.length).toBeLessThan(TASKS);

    relay = startRole('relay', env);
    recurrence = startRole('recurrence', env);
    await writing;
    await eventually(async () => (await instances()) === TASKS, 'every next instance', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(await instances()).toBe(TASKS);
    const perTask = await api
      .knex('tasks')
      .whereIn('previous_task_id', completed)
      .groupBy('previous_task_id')
      .havingRaw('count(*) > 1')
      .select('previous_task_id');
    expect(perTask).toEqual([]);
    const recurred = await count(
      api
        .knex('outbox')
        .where({ event_type: 'task.recurred' })
        .whereIn('message_key', completed)
        .count({ count: '*' }),
    );
    expect(recurred).toBe(TASKS);
    await eventually(
      async () => (await count(unsentRows(api.knex).clearSelect().count({ count: '*' }))) === 0,
      'the outbox to drain',
      20_000,
    );
    for (const stopped of await Promise.all([relay.stop(), recurrence.stop()])) {
      expect(stopped.code).toBe(0);
    }
  } finally {
    relay.child.kill('SIGKILL');
    recurrence.child.kill('SIGKILL');
  }
}, 180_000);
