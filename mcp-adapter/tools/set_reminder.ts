import { z } from 'zod';
import { document } from '../graphql-client.ts';
import { ERROR_FIELDS, type TypedError } from '../errors.ts';
import {
  args,
  describeTask,
  TASK_FIELDS,
  taskSummaryOutput,
  toTask,
  type GqlTask,
} from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'set_reminder';
export const title = 'Set reminder';
export const description =
  'Set when a task reminds you: exactly one of remind_before_minutes or remind_at. It must be ' +
  'in the future and not after the due date; a sent reminder is re-armed.';

export const inputSchema = z.strictObject({
  task_id: args.taskId,
  remind_before_minutes: z
    .number()
    .describe('Minutes before due_date, 0-525600; moves with the due date.')
    .optional(),
  remind_at: z.string().describe('Absolute time, ISO 8601 with offset.').optional(),
});

export const outputSchema = taskSummaryOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { setReminder: { __typename: 'SetReminderSuccess'; task: GqlTask } | TypedError },
  { taskId: string; remindBeforeMinutes?: number | undefined; remindAt?: string | undefined }
>(`mutation SetReminder($taskId: ID!, $remindBeforeMinutes: Int, $remindAt: DateTime) {
  setReminder(taskId: $taskId, remindBeforeMinutes: $remindBeforeMinutes, remindAt: $remindAt) {
    ${ERROR_FIELDS} ... on SetReminderSuccess { task { ${TASK_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(
    DOCUMENT,
    {
      taskId: input.task_id,
      remindBeforeMinutes: input.remind_before_minutes,
      remindAt: input.remind_at,
    },
    'setReminder',
  );
  const result = toTask(task);
  return { structured: result, text: `Reminder set: ${describeTask(result)}` };
}
