import { z } from 'zod';
import { document } from '../graphql-client.ts';
import { args, describeTask, TASK_FIELDS, taskOutput, toTask, type GqlTask } from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'get_task';
export const title = 'Get task';
export const description =
  'One task with all its fields; for a completed recurring task also next_instance_id.';

export const inputSchema = z.strictObject({ task_id: args.taskId });

export const outputSchema = taskOutput.extend({ next_instance_id: z.string().optional() });

export const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { task: (GqlTask & { nextInstance: { id: string } | null }) | null },
  { id: string }
>(`query GetTask($id: ID!) { task(id: $id) { ${TASK_FIELDS} nextInstance { id } } }`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.query(DOCUMENT, { id: input.task_id });
  if (!task) return call.notFound('Task', input.task_id);
  const result = toTask(task);
  const next = task.nextInstance?.id;
  return {
    structured: next ? { ...result, next_instance_id: next } : result,
    text: describeTask(result) + (next ? `; next instance [${next}]` : ''),
  };
}
