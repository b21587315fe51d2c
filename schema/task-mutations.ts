import {
  completeTask,
  createTask,
  deleteTask,
  reopenTask,
  updateTask,
} from '../domain/task-commands.ts';
import { LIMITS } from '../model/limits.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';
import { Priority, RecurrenceAnchor, Task } from './task.ts';

const taskFields = {
  description: `At most ${LIMITS.descriptionLength} characters and ${LIMITS.descriptionJsonBytes} bytes as UTF-8 once JSON-escaped (a control character counts 6).`,
  dueAt:
    'ISO 8601 with offset, e.g. 2026-12-01T09:00:00+01:00; from 0001-01-02T00:00:00Z to ' +
    '9999-12-30T23:59:59.999Z, so that it is a date of the years 0001-9999 in every time zone.',
  timeZone: 'IANA time zone of the due date, e.g. Europe/Berlin (default UTC).',
  categoryId: 'One of your categories.',
  tagIds: `Up to ${LIMITS.tagsPerTask} of your tags.`,
  recurrenceRule:
    'RFC 5545 RRULE: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT or UNTIL.',
  remindBeforeMinutes:
    'Remind this many minutes before the due date (default 60 when there is a due date).',
};

const CreateTaskInput = builder.inputType('CreateTaskInput', {
  fields: (t) => ({
    title: t.string({ required: true, description: `1-${LIMITS.titleLength} characters.` }),
    description: t.string({ description: taskFields.description }),
    priority: t.field({ type: Priority, description: 'Default MEDIUM.' }),
    dueAt: t.field({ type: 'DateTime', description: taskFields.dueAt }),
    timeZone: t.string({ description: taskFields.timeZone }),
    categoryId: t.id({ description: taskFields.categoryId }),
    tagIds: t.idList({ description: taskFields.tagIds }),
    recurrenceRule: t.string({ description: taskFields.recurrenceRule }),
    recurrenceAnchor: t.field({ type: RecurrenceAnchor, description: 'Default DUE_DATE.' }),
    remindBeforeMinutes: t.int({ description: taskFields.remindBeforeMinutes }),
    idempotencyKey: t.string({
      description: 'Retry-safe creation: a repeated key returns the task first created with it.',
    }),
  }),
});

const UpdateTaskInput = builder.inputType('UpdateTaskInput', {
  description:
    'Only the given fields change; null clears description, dueAt, categoryId, tagIds, recurrenceRule and remindBeforeMinutes.',
  fields: (t) => ({
    title: t.string({ description: `1-${LIMITS.titleLength} characters.` }),
    description: t.string({ description: taskFields.description }),
    priority: t.field({ type: Priority }),
    dueAt: t.field({ type: 'DateTime', description: taskFields.dueAt }),
    timeZone: t.string({ description: taskFields.timeZone }),
    categoryId: t.id({ description: taskFields.categoryId }),
    tagIds: t.idList({ description: `Replaces the task's tags. ${taskFields.tagIds}` }),
    recurrenceRule: t.string({ description: taskFields.recurrenceRule }),
    recurrenceAnchor: t.field({ type: RecurrenceAnchor }),
    remindBeforeMinutes: t.int({ description: taskFields.remindBeforeMinutes }),
  }),
});

const errors = { types: MUTATION_ERRORS, dataField: { name: 'task' } };

builder.mutationFields((t) => ({
  createTask: t.field({
    type: Task,
    args: { input: t.arg({ type: CreateTaskInput, required: true }) },
    errors,
    resolve: (_root, { input }, ctx) =>
      createTask(scopeOf(ctx), {
        ...input,
        categoryId: input.categoryId?.toString(),
        tagIds: input.tagIds?.map(String),
      }),
  }),
  updateTask: t.field({
    type: Task,
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateTaskInput, required: true }),
    },
    errors,
    resolve: async (_root, { id, input }, ctx) =>
      (
        await updateTask(scopeOf(ctx), String(id), {
          ...input,
          categoryId:
            input.categoryId === undefined || input.categoryId === null
              ? input.categoryId
              : String(input.categoryId),
          tagIds: input.tagIds?.map(String) ?? input.tagIds,
        })
      ).task,
  }),
  completeTask: t.field({
    type: Task,
    description: 'Marks a task completed; completing it again changes nothing.',
    args: { id: t.arg.id({ required: true }) },
    errors,
    resolve: async (_root, { id }, ctx) => (await completeTask(scopeOf(ctx), String(id))).task,
  }),
  reopenTask: t.field({
    type: Task,
    description: 'Marks a completed task pending again.',
    args: { id: t.arg.id({ required: true }) },
    errors,
    resolve: async (_root, { id }, ctx) => (await reopenTask(scopeOf(ctx), String(id))).task,
  }),
  deleteTask: t.field({
    type: Task,
    description: 'Deletes a task and answers with it as it was.',
    args: { id: t.arg.id({ required: true }) },
    errors,
    resolve: (_root, { id }, ctx) => deleteTask(scopeOf(ctx), String(id)),
  }),
}));
