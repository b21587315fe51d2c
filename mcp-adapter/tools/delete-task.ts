import { z } from 'zod';
import { DESTRUCTIVE } from '../annotations.ts';
import { args } from '../shapes/args.ts';
import { taskSummaryOutput } from '../shapes/outputs.ts';
import { taskMutation } from '../shapes/selections.ts';
import { taskResult } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = taskMutation<{ id: string }>('deleteTask', '$id: ID!');

export default defineTool({
  name: 'delete_task',
  title: 'Delete task',
  description: 'Delete a task for good; returns it as it was.',
  annotations: DESTRUCTIVE,
  inputSchema: z.strictObject({ task_id: args.taskId }),
  outputSchema: taskSummaryOutput,
  documents: [DOCUMENT],
  async handler(input, call) {
    const { task } = await call.mutation(DOCUMENT, { id: input.task_id }, 'deleteTask');
    return taskResult('Deleted', task);
  },
});
