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

export const name = 'add_tag_to_task';
export const title = 'Add tag to task';
export const description =
  'Put one of your tags on a task (at most 10 per task); adding it twice is harmless.';

export const inputSchema = z.strictObject({ task_id: args.taskId, tag_id: args.tagId });

export const outputSchema = taskSummaryOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { addTagToTask: { __typename: 'AddTagToTaskSuccess'; task: GqlTask } | TypedError },
  { taskId: string; tagId: string }
>(`mutation AddTagToTask($taskId: ID!, $tagId: ID!) {
  addTagToTask(taskId: $taskId, tagId: $tagId) {
    ${ERROR_FIELDS} ... on AddTagToTaskSuccess { task { ${TASK_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(
    DOCUMENT,
    { taskId: input.task_id, tagId: input.tag_id },
    'addTagToTask',
  );
  const result = toTask(task);
  return { structured: result, text: `Tagged ${describeTask(result)}` };
}
