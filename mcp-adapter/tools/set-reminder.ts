import { z } from 'zod';
import { DESTRUCTIVE } from '../annotations.ts';
import { args } from '../shapes/args.ts';
import { taskSummaryOutput } from '../shapes/outputs.ts';
import { taskMutation } from '../shapes/selections.ts';
import { taskResult } from '../shapes/summaries.ts';
import { reminderArgs } from '../shapes/task-args.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = taskMutation<{
  taskId: string;
  remindBeforeMinutes?: number | undefined;
  remindAt?: string | undefined;
}>('setReminder', '$taskId: ID!, $remindBeforeMinutes: Int, $remindAt: DateTime');

export default defineTool({
  name: 'set_reminder',
  title: 'Set reminder',
  description:
    'Set when a task reminds you: exactly one of remind_before_minutes or remind_at. It must be ' +
    'in the future and not after the due date; a sent reminder is re-armed.',
  annotations: DESTRUCTIVE,
  inputSchema: z.strictObject({ task_id: args.taskId, ...reminderArgs }),
  outputSchema: taskSummaryOutput,
  documents: [DOCUMENT],
  async handler(input, call) {
    const variables = {
      taskId: input.task_id,
      remindBeforeMinutes: input.remind_before_minutes,
      remindAt: input.remind_at,
    };
    const { task } = await call.mutation(DOCUMENT, variables, 'setReminder');
    return taskResult('Reminder set:', task);
  },
});
