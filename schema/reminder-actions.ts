import { dismissReminder, snoozeReminder } from '../domain/reminder-actions.ts';
import { CHANNEL_LIMITS } from '../model/channels.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';
import { Task } from './task.ts';

const errors = { types: MUTATION_ERRORS, dataField: { name: 'task' } };

builder.mutationFields((t) => ({
  snoozeReminder: t.field({
    type: Task,
    description:
      'Reminds again later, through the same channels: give exactly one of minutes or until, at most ' +
      `${CHANNEL_LIMITS.snoozeMinutesMax} minutes (a week) ahead; it may come after the due date. ` +
      'The reminder becomes an absolute one (remindAt).',
    args: {
      taskId: t.arg.id({ required: true }),
      minutes: t.arg.int({ description: `From now, 1-${CHANNEL_LIMITS.snoozeMinutesMax}.` }),
      until: t.arg({ type: 'DateTime', description: 'A future time, ISO 8601 with offset.' }),
    },
    errors,
    resolve: (_root, { taskId, minutes, until }, ctx) =>
      snoozeReminder(scopeOf(ctx), String(taskId), { minutes, until }),
  }),
  dismissReminder: t.field({
    type: Task,
    description:
      'Done with this reminder: removes it and cancels its deliveries not yet sent to your channels.',
    args: { taskId: t.arg.id({ required: true }) },
    errors,
    resolve: (_root, { taskId }, ctx) => dismissReminder(scopeOf(ctx), String(taskId)),
  }),
}));
