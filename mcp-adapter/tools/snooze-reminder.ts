import { z } from 'zod';
import { RESCHEDULE } from '../annotations.ts';
import { args } from '../shapes/args.ts';
import { taskSummaryOutput } from '../shapes/outputs.ts';
import { taskMutation } from '../shapes/selections.ts';
import { taskResult } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = taskMutation<{
  taskId: string;
  minutes?: number | undefined;
  until?: string | undefined;
}>('snoozeReminder', '$taskId: ID!, $minutes: Int, $until: DateTime');

export default defineTool({
  name: 'snooze_reminder',
  title: 'Snooze reminder',
  description:
    'Remind again later: exactly one of minutes or until (at most a week ahead; after the due date too).',
  annotations: RESCHEDULE,
  inputSchema: z.strictObject({
    task_id: args.taskId,
    minutes: z.number().describe('From now, 1-10080.').optional(),
    until: z.string().describe('ISO 8601 with offset.').optional(),
  }),
  outputSchema: taskSummaryOutput,
  documents: [DOCUMENT],
  async handler(input, call) {
    const variables = { taskId: input.task_id, minutes: input.minutes, until: input.until };
    const { task } = await call.mutation(DOCUMENT, variables, 'snoozeReminder');
    return taskResult('Reminder snoozed:', task);
  },
});
