import { addTagToTask, removeTagFromTask } from '../domain/task-tags.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';
import { Task } from './task.ts';

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
