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

export const name = 'remove_tag_from_task';
export const title = 'Remove tag from task';
export const description = 'Take a tag off a task; removing one it does not have is harmless.';

export const inputSchema = z.strictObject({ task_id: args.taskId, tag_id: args.tagId });

export const outputSchema = taskSummaryOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { removeTagFromTask: { __typename: 'RemoveTagFromTaskSuccess'; task: GqlTask } | TypedError },
  { taskId: string; tagId: string }
>(`mutation RemoveTagFromTask($taskId: ID!, $tagId: ID!) {
  removeTagFromTask(taskId: $taskId, tagId: $tagId) {
    ${ERROR_FIELDS} ... on RemoveTagFromTaskSuccess { task { ${TASK_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(
    DOCUMENT,
    { taskId: input.task_id, tagId: input.tag_id },
    'removeTagFromTask',
  );
  const result = toTask(task);
  return { structured: result, text: `Untagged ${describeTask(result)}` };
}
