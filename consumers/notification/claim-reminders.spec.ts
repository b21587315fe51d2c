import type { Event } from '../../model/events/contracts.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { createTask, useTestApi } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import { claimDueReminders } from './claim-reminders.ts';

// A claim takes the due reminders of every user, so the spec has a database of its own.
const api = useTestApi({ ownDatabase: true });

it('version gap: a reminder claim marks the reminder sent without a new version or updated_at, which no task event would explain', async () => {
  const user = await api.user();
  // Due in an hour with the default reminder an hour before: the reminder is due at once.
  const task = await createTask(user, {
    title: 'Call the dentist',
    dueAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const before = await api.knex('tasks').where({ id: task.id }).first();

  const claimed: Event[] = [];
  await eventually(async () => {
    claimed.push(...(await claimDueReminders(api.knex)));
    return claimed.some((event) => event.taskId === task.id);
  }, 'the reminder to be claimed');

  const after = await api.knex('tasks').where({ id: task.id }).first();
  expect(after.reminder_sent_at).not.toBeNull();
  expect(after.version).toBe(before.version);
  expect(after.updated_at).toEqual(before.updated_at);
  const taskEvents: { payload: Event<'task.created'> }[] = await api
    .knex('outbox')
    .where({ topic: TOPICS.taskEvents.name, message_key: task.id })
    .orderBy('id')
    .select('payload');
  expect(taskEvents.map(({ payload }) => payload.payload.task.version)).toEqual([after.version]);
  const reminder = claimed.find((event) => event.taskId === task.id) as Event<'reminder.due'>;
  expect(reminder.payload.task).toMatchObject({
    version: after.version,
    updatedAt: before.updated_at.toISOString(),
    reminderSentAt: after.reminder_sent_at.toISOString(),
  });
});
