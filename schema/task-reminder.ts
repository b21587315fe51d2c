import { clearReminder, setReminder } from '../domain/task-reminders.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';
import { Task } from './task.ts';

const errors = { types: MUTATION_ERRORS, dataField: { name: 'task' } };

builder.mutationFields((t) => ({
  setReminder: t.field({
    type: Task,
    description:
      'Sets the reminder: give exactly one of remindBeforeMinutes (moves with the due date) or remindAt. ' +
      'It must lie in the future and not after the due date. A reminder already sent is re-armed.',
    args: {
      taskId: t.arg.id({ required: true }),
      remindBeforeMinutes: t.arg.int({ description: 'Minutes before the due date, 0-525600.' }),
      remindAt: t.arg({ type: 'DateTime', description: 'An absolute time, ISO 8601 with offset.' }),
    },
    errors,
    resolve: (_root, { taskId, remindBeforeMinutes, remindAt }, ctx) =>
      setReminder(scopeOf(ctx), String(taskId), { remindBeforeMinutes, remindAt }),
  }),
  clearReminder: t.field({
    type: Task,
    description: 'Removes the reminder, including the default one before the due date.',
    args: { taskId: t.arg.id({ required: true }) },
    errors,
    resolve: (_root, { taskId }, ctx) => clearReminder(scopeOf(ctx), String(taskId)),
  }),
}));
