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

export const name = 'delete_task';
export const title = 'Delete task';
export const description = 'Delete a task for good; returns it as it was.';

export const inputSchema = z.strictObject({ task_id: args.taskId });

export const outputSchema = taskSummaryOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { deleteTask: { __typename: 'DeleteTaskSuccess'; task: GqlTask } | TypedError },
  { id: string }
>(`mutation DeleteTask($id: ID!) {
  deleteTask(id: $id) { ${ERROR_FIELDS} ... on DeleteTaskSuccess { task { ${TASK_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(DOCUMENT, { id: input.task_id }, 'deleteTask');
  const result = toTask(task);
  return { structured: result, text: `Deleted ${describeTask(result)}` };
}
