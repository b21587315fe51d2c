import { findTask } from '../db/task-rows.ts';
import { tagIdsOfTasks } from '../db/task-tag-rows.ts';
import type { Event } from '../model/events/contracts.ts';
import { snapshotOf } from '../model/events/task-snapshot.ts';
import { createLabel, createTask, inHours, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

/** The outbox rows of the user's task.created events, oldest first. */
async function createdEvents(user: TestUser) {
  const rows: { payload: Event; payload_bytes: number }[] = await api
    .knex('outbox')
    .where({ user_id: user.userId, event_type: 'task.created' })
    .orderBy('id')
    .select('payload', 'payload_bytes');
  return rows;
}

/** The task as stored, as its event should carry it. */
async function storedSnapshot(user: TestUser, id: string) {
  const task = await findTask(api.knex, user.userId, id);
  const tags = await tagIdsOfTasks(api.knex, user.userId, [id]);
  return snapshotOf(task!, tags.get(id) ?? []);
}

describe('createTask: the task and its task.created event', () => {
  it('carries the task exactly as stored, for every kind of new task', async () => {
    const user = await api.user('created');
    const category = await createLabel(user, 'Category', 'Work');
    const tag = await createLabel(user, 'Tag', 'urgent');
    const inputs: Record<string, unknown>[] = [
      { title: 'Plain' },
      { title: 'Described', description: 'with “quotes”, \\ and \u0001', priority: 'URGENT' },
      { title: 'Due', dueAt: inHours(30) },
      { title: 'Reminded', dueAt: inHours(30), remindBeforeMinutes: 90 },
      { title: 'Zoned', dueAt: inHours(50), timeZone: 'Asia/Kathmandu' },
      {
        title: 'Recurring',
        dueAt: inHours(5),
        recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO,WE',
        timeZone: 'Europe/Berlin',
      },
      { title: 'Filed', categoryId: category.id },
      { title: 'Tagged', tagIds: [tag.id] },
      { title: 'Keyed', idempotencyKey: 'key-1' },
    ];
    const ids: string[] = [];
    for (const input of inputs) ids.push((await createTask(user, input)).id);

    const events = await createdEvents(user);
    expect(events.map(({ payload }) => payload.taskId)).toEqual(ids);
    for (const [i, { payload, payload_bytes }] of events.entries()) {
      expect({ input: inputs[i], task: (payload.payload as { task: unknown }).task }).toEqual({
        input: inputs[i],
        task: await storedSnapshot(user, ids[i]!),
      });
      expect(payload_bytes).toBe(Buffer.byteLength(JSON.stringify(payload)));
    }
  });

  it('writes one task and one event for a repeated idempotency key', async () => {
    const user = await api.user('repeated');
    const first = await createTask(user, { title: 'Once', idempotencyKey: 'same' });
    const again = await createTask(user, { title: 'Once', idempotencyKey: 'same' });

    expect(again.id).toBe(first.id);
    expect((await createdEvents(user)).map(({ payload }) => payload.taskId)).toEqual([first.id]);
  });

  it('writes neither the task nor an event when the insert is refused', async () => {
    const user = await api.user('refused');
    const other = await api.user('other');
    const theirs = await createLabel(other, 'Category', 'Theirs');

    const { data } = await user.gql(
      `mutation($c: ID!) { createTask(input: { title: "x", categoryId: $c }) {
        __typename ... on Error { message } } }`,
      { c: theirs.id },
    );

    expect(data!.createTask.__typename).toBe('NotFoundError');
    expect(await api.knex('tasks').where({ user_id: user.userId })).toEqual([]);
    expect(await api.knex('outbox').where({ user_id: user.userId })).toEqual([]);
  });
});
