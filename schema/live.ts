import {
  reminderUpdates,
  taskEventUpdates,
  type LiveItem,
  type ReminderUpdate,
  type TaskEventUpdate,
} from '../domain/live-updates.ts';
import { ResyncRequiredError } from '../model/errors.ts';
import { builder } from './builder.ts';
import { scopeOf } from './scope.ts';
import { Task } from './task.ts';

const TaskEventType = builder.enumType('TaskEventType', {
  values: {
    CREATED: { value: 'task.created' },
    UPDATED: { value: 'task.updated' },
    COMPLETED: { value: 'task.completed' },
    REOPENED: { value: 'task.reopened' },
    DELETED: { value: 'task.deleted' },
  } as const,
});

const TaskEvent = builder.objectRef<TaskEventUpdate>('TaskEvent').implement({
  description: 'A change to one of your tasks.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pass it as `after` to resume after this event.' }),
    type: t.expose('type', { type: TaskEventType }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    task: t.expose('task', { type: Task, description: 'The task as this change left it.' }),
  }),
});

const Reminder = builder.objectRef<ReminderUpdate>('Reminder').implement({
  description: 'A reminder that fired.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The event id; a reminder is sent once.' }),
    task: t.expose('task', { type: Task, description: 'The task when the reminder fired.' }),
    remindAt: t.expose('remindAt', { type: 'DateTime' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    firedAt: t.expose('firedAt', { type: 'DateTime' }),
    late: t.exposeBoolean('late', {
      description: 'True when it fired after its time, e.g. the service was down then.',
    }),
  }),
});

/** Delivers an update, or ends the stream with the error that tells the client to resync. */
function unwrap<T>(item: LiveItem<T>): T {
  if (item instanceof ResyncRequiredError) throw item;
  return item;
}

builder.subscriptionType({});

builder.subscriptionField('reminders', (t) =>
  t.field({
    type: Reminder,
    description: 'Your reminders, live, as they fire.',
    subscribe: (_root, _args, ctx) =>
      reminderUpdates(scopeOf(ctx), ctx.live, {
        endsAt: ctx.tokenExpiresAt,
        signal: ctx.request.signal,
      }),
    resolve: (item: LiveItem<ReminderUpdate>) => unwrap(item),
  }),
);

builder.subscriptionField('taskEvents', (t) =>
  t.field({
    type: TaskEvent,
    description:
      'Changes to your tasks, live. With `after` (the id of the last event you received) it first ' +
      'sends the events you missed, in order. An error with code RESYNC_REQUIRED ends the stream ' +
      'when you fell behind; its `after` extension says where to resume.',
    args: { after: t.arg.id({ required: false }) },
    subscribe: (_root, { after }, ctx) =>
      taskEventUpdates(scopeOf(ctx), ctx.live, after === null ? null : after?.toString(), {
        endsAt: ctx.tokenExpiresAt,
        signal: ctx.request.signal,
      }),
    resolve: (item: LiveItem<TaskEventUpdate>) => unwrap(item),
  }),
);
