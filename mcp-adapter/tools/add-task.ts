import { z } from 'zod';
import { WRITE } from '../annotations.ts';
import { taskSummaryOutput } from '../shapes/outputs.ts';
import { taskMutation } from '../shapes/selections.ts';
import { taskResult } from '../shapes/summaries.ts';
import { createTaskArgs, toTaskInput, type GqlTaskInput } from '../shapes/task-args.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = taskMutation<{ input: GqlTaskInput & { idempotencyKey?: string | undefined } }>(
  'createTask',
  '$input: CreateTaskInput!',
  'AddTask',
);

export default defineTool({
  name: 'add_task',
  title: 'Add task',
  description:
    'Create a task. With recurrence_rule, completing it creates the next instance. ' +
    'A reminder defaults to 60 minutes before due_date.',
  annotations: WRITE,
  inputSchema: z.strictObject({
    ...createTaskArgs,
    idempotency_key: z
      .string()
      .describe('Retry-safe: a repeated key returns the task first created with it.')
      .optional(),
  }),
  outputSchema: taskSummaryOutput,
  documents: [DOCUMENT],
  async handler(input, call) {
    const variables = { input: { ...toTaskInput(input), idempotencyKey: input.idempotency_key } };
    const { task } = await call.mutation(DOCUMENT, variables, 'createTask');
    return taskResult('Added', task);
  },
});
