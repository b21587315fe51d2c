import { addTagToTask, removeTagFromTask } from '../domain/task-tags.js';
import { builder } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { scopeOf } from './scope.js';
import { Task } from './task.js';

const errors = { types: MUTATION_ERRORS, dataField: { name: 'task' } };

builder.mutationFields((t) => ({
  addTagToTask: t.field({
    type: Task,
    description:
      'Puts one of your tags on a task (at most 10 per task); adding it twice is harmless.',
    args: { taskId: t.arg.id({ required: true }), tagId: t.arg.id({ required: true }) },
    errors,
    resolve: async (_root, { taskId, tagId }, ctx) =>
      (await addTagToTask(scopeOf(ctx), String(taskId), String(tagId))).task,
  }),
  removeTagFromTask: t.field({
    type: Task,
    description: 'Takes a tag off a task; removing one it does not have is harmless.',
    args: { taskId: t.arg.id({ required: true }), tagId: t.arg.id({ required: true }) },
    errors,
    resolve: async (_root, { taskId, tagId }, ctx) =>
      (await removeTagFromTask(scopeOf(ctx), String(taskId), String(tagId))).task,
  }),
}));
