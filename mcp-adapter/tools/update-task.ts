import { z } from 'zod';
import { DESTRUCTIVE } from '../annotations.ts';
import { args } from '../shapes/args.ts';
import { taskSummaryOutput } from '../shapes/outputs.ts';
import { taskMutation } from '../shapes/selections.ts';
import { taskResult } from '../shapes/summaries.ts';
import { CLEARABLE, toTaskInput, updateTaskArgs, type GqlTaskInput } from '../shapes/task-args.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = taskMutation<{ id: string; input: GqlTaskInput }>(
  'updateTask',
  '$id: ID!, $input: UpdateTaskInput!',
);

export default defineTool({
  name: 'update_task',
  title: 'Update task',
  description:
    `Change a task: only the given arguments change; null clears ${CLEARABLE.join(', ')}. ` +
    'Use complete_task to complete.',
  annotations: DESTRUCTIVE,
  inputSchema: z.strictObject({ task_id: args.taskId, ...updateTaskArgs }),
  outputSchema: taskSummaryOutput,
  documents: [DOCUMENT],
  async handler(input, call) {
    const variables = { id: input.task_id, input: toTaskInput(input) };
    const { task } = await call.mutation(DOCUMENT, variables, 'updateTask');
    return taskResult('Updated', task);
  },
});
