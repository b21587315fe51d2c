import { randomUUID } from 'node:crypto';
import {
  completeTask,
  createTask,
  HOUR,
  inHours,
  TASK_FIELDS,
  useTestApi,
  type TestUser,
} from '../test/api.ts';
import { CHANNEL_LIMITS } from '../model/channels.ts';

const api = useTestApi();

const RESULT = (name: string) => `
  __typename ... on Error { message } ... on ValidationError { field } ... on NotFoundError { entity id }
  ... on ${name}Success { task { ${TASK_FIELDS} } }`;
const SNOOZE = `mutation($taskId: ID!, $minutes: Int, $until: DateTime) {
  snoozeReminder(taskId: $taskId, minutes: $minutes, until: $until) { ${RESULT('SnoozeReminder')} }
}`;
const DISMISS = `mutation($taskId: ID!) { dismissReminder(taskId: $taskId) { ${RESULT('DismissReminder')} } }`;

async function snooze(user: TestUser, variables: Record<string, unknown>) {
  const response = await user.gql(SNOOZE, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.snoozeReminder;
}

async function dismiss(user: TestUser, taskId: string) {
  const response = await user.gql(DISMISS, { taskId });
  expect(response.errors).toBeUndefined();
  return response.data!.dismissReminder;
}

/** The task.updated events of a task in the outbox, oldest first. */
const updates = (taskId: string) =>
  api
    .knex('outbox')
    .where({ message_key: taskId, event_type: 'task.updated' })
    .orderBy('id')
    .select('payload');

/** A task whose reminder has fired: its reminder_sent_at set, as the notification service does. */
async function firedTask(user: TestUser, dueInHours = 24) {
  const task = await createTask(user, { title: 'Call the plumber', dueAt: inHours(dueInHours) });
  const [{ version }] = await api
    .knex('tasks')
    .where({ id: task.id })
    .update({ reminder_sent_at: new Date(), remind_at: new Date(Date.now() - 60_000) })
    .returning('version');
  return { ...task, version };
}

describe('snoozeReminder', () => {
  it('re-arms a fired reminder `minutes` from now, as an absolute reminder, with its event', async () => {
    const user = await api.user();
    const task = await firedTask(user);
    const before = Date.now();
    const payload = await snooze(user, { taskId: task.id, minutes: 15 });
    expect(payload.__typename).toBe('SnoozeReminderSuccess');
    expect(payload.task).toMatchObject({
      id: task.id,
      remindBeforeMinutes: null,
      reminderSentAt: null,
      version: task.version + 1,
    });
    const remindAt = Date.parse(payload.task.remindAt);
    expect(remindAt).toBeGreaterThanOrEqual(before + 15 * 60_000);
    expect(remindAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    const [event] = await updates(task.id);
    expect(event.payload.payload).toMatchObject({
      task: { id: task.id, remindBeforeMinutes: null, reminderSentAt: null },
    });
    expect(event.payload.payload.changed).toEqual(
      expect.arrayContaining(['remindAt', 'remindBeforeMinutes', 'reminderSentAt']),
    );
  });

  it('re-arms it at `until`', async () => {
    const user = await api.user();
    const task = await firedTask(user);
    const until = inHours(2);
    const payload = await snooze(user, { taskId: task.id, until });
    expect(payload.task).toMatchObject({ remindAt: until, reminderSentAt: null });
    const row = await api.knex('tasks').where({ id: task.id }).first();
    expect(row.remind_at.toISOString()).toBe(until);
    expect(row.reminder_sent_at).toBeNull();
  });

  it('snoozes a task without a due date up to a week ahead', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 'Someday' });
    const payload = await snooze(user, {
      taskId: task.id,
      minutes: CHANNEL_LIMITS.snoozeMinutesMax,
    });
    expect(payload.__typename).toBe('SnoozeReminderSuccess');
    expect(payload.task.remindAt).not.toBeNull();
  });

  it.each([
    ['minutes', {}, 'exactly one'],
    ['minutes', { minutes: 5, until: inHours(1) }, 'exactly one'],
    ['minutes', { minutes: 0 }, 'at least 1'],
    ['minutes', { minutes: CHANNEL_LIMITS.snoozeMinutesMax + 1 }, 'at most'],
    ['until', { until: inHours(-1) }, 'in the future'],
    ['until', { until: inHours(7 * 24 + 1) }, 'one week'],
  ])('refuses %s %j and changes nothing', async (field, args, says) => {
    const user = await api.user();
    const task = await createTask(user, { title: 'Due tomorrow', dueAt: inHours(24) });
    const payload = await snooze(user, { taskId: task.id, ...args });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field });
    expect(payload.message).toContain(says);
    const row = await api.knex('tasks').where({ id: task.id }).first();
    expect(row.version).toBe(task.version);
    expect(await updates(task.id)).toEqual([]);
  });

  it('snoozes past the due date: an overdue task is what is snoozed most', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 'Due soon', dueAt: inHours(0.5) });
    const payload = await snooze(user, { taskId: task.id, minutes: 60 });
    expect(payload.__typename).toBe('SnoozeReminderSuccess');
    expect(Date.parse(payload.task.remindAt)).toBeGreaterThan(Date.parse(task.dueAt));
    const row = await api.knex('tasks').where({ id: task.id }).first();
    expect(row.remind_at.getTime()).toBe(Date.parse(payload.task.remindAt));
    expect(row.reminder_sent_at).toBeNull();
  });

  it('refuses a completed task, saying to reopen it', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 'Done', dueAt: inHours(24) });
    const done = await completeTask(user, task.id);
    const payload = await snooze(user, { taskId: task.id, minutes: 10 });
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'taskId' });
    expect(payload.message).toContain('reopenTask');
    const row = await api.knex('tasks').where({ id: task.id }).first();
    expect(row.version).toBe(done.version);
  });

  it('answers NotFoundError for an unknown task', async () => {
    const user = await api.user();
    const id = randomUUID();
    expect(await snooze(user, { taskId: id, minutes: 5 })).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Task',
      id,
    });
  });
});

describe('dismissReminder', () => {
  it('clears the reminder with its event and cancels the unfinished deliveries of its reminders', async () => {
    const user = await api.user();
    const task = await firedTask(user);
    const other = await firedTask(user);
    const [{ id: channelId }] = await api
      .knex('notification_channels')
      .insert({
        user_id: user.userId,
        kind: 'webhook',
        url: 'https://hooks.example.com/x',
        webhook_secret: 'whsec_x',
      })
      .returning('id');
    const later = new Date(Date.now() + HOUR);
    const delivery = (taskId: string, status: string, eventType = 'reminder.due') => ({
      user_id: user.userId,
      channel_id: channelId,
      event_id: randomUUID(),
      event_type: eventType,
      task_id: taskId,
      event: {},
      status,
      next_attempt_at: ['pending', 'sending'].includes(status) ? later : null,
      finished_at: ['pending', 'sending'].includes(status) ? null : new Date(),
    });
    const rows = await api
      .knex('deliveries')
      .insert([
        delivery(task.id, 'pending'),
        delivery(task.id, 'sending'),
        delivery(task.id, 'delivered'),
        delivery(other.id, 'pending'),
        delivery(task.id, 'pending', 'task.updated'),
      ])
      .returning(['id', 'status', 'task_id']);

    const payload = await dismiss(user, task.id);
    expect(payload.__typename).toBe('DismissReminderSuccess');
    expect(payload.task).toMatchObject({
      remindAt: null,
      remindBeforeMinutes: null,
      reminderSentAt: null,
      version: task.version + 1,
    });
    expect((await updates(task.id)).at(-1).payload.payload.task).toMatchObject({
      remindAt: null,
      remindBeforeMinutes: null,
    });

    const after = await api
      .knex('deliveries')
      .whereIn(
        'id',
        rows.map((row: { id: string }) => row.id),
      )
      .select('id', 'status', 'next_attempt_at', 'finished_at');
    const byId = new Map(after.map((row: any) => [row.id, row]));
    const [pending, sending, delivered, otherTask, taskEvent] = rows.map((row: any) =>
      byId.get(row.id),
    );
    for (const cancelled of [pending, sending]) {
      expect(cancelled).toMatchObject({ status: 'cancelled', next_attempt_at: null });
      expect(cancelled.finished_at).not.toBeNull();
    }
    expect(delivered.status).toBe('delivered');
    expect(otherTask).toMatchObject({ status: 'pending', next_attempt_at: later });
    expect(taskEvent).toMatchObject({ status: 'pending', next_attempt_at: later });
  });

  it('cancels deliveries even when the reminder was already cleared, without a new version', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 'No reminder' });
    expect(task.remindAt).toBeNull();
    const payload = await dismiss(user, task.id);
    expect(payload.task.version).toBe(task.version);
    expect(await updates(task.id)).toEqual([]);
  });

  it('answers NotFoundError for an unknown task', async () => {
    const user = await api.user();
    const id = randomUUID();
    expect(await dismiss(user, id)).toMatchObject({ __typename: 'NotFoundError', id });
  });
});
