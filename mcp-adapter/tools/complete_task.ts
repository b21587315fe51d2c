import { setTimeout as sleep } from 'node:timers/promises';
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

export const name = 'complete_task';
export const title = 'Complete task';
export const description =
  'Mark a task completed (again: no change). For a recurring task also returns next_instance, ' +
  'the next occurrence, once created (usually within a second).';

export const inputSchema = z.strictObject({ task_id: args.taskId });

export const outputSchema = z.object({
  task: taskSummaryOutput,
  next_instance: taskSummaryOutput.optional(),
});

export const annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { completeTask: { __typename: 'CompleteTaskSuccess'; task: GqlTask } | TypedError },
  { id: string }
>(`mutation CompleteTask($id: ID!) {
  completeTask(id: $id) { ${ERROR_FIELDS} ... on CompleteTaskSuccess { task { ${TASK_FIELDS} } } }
}`);

/** The recurring task service creates the next instance after the completion event. */
export const NEXT_INSTANCE = document<
  { task: { nextInstance: GqlTask | null } | null },
  { id: string }
>(`query NextInstance($id: ID!) { task(id: $id) { nextInstance { ${TASK_FIELDS} } } }`);

/** How long to wait for the next instance of a recurring task, and how often to look. */
export const NEXT_INSTANCE_WAIT = { totalMs: 3_000, everyMs: 100 };

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(DOCUMENT, { id: input.task_id }, 'completeTask');
  const completed = toTask(task);
  const text = `Completed ${describeTask(completed)}`;
  if (!task.recurrenceRule) return { structured: { task: completed }, text };

  const deadline = Date.now() + NEXT_INSTANCE_WAIT.totalMs;
  for (;;) {
    const { task: current } = await call.query(NEXT_INSTANCE, { id: task.id });
    if (current?.nextInstance) {
      const next = toTask(current.nextInstance);
      return {
        structured: { task: completed, next_instance: next },
        text: `${text}\nNext instance: ${describeTask(next)}`,
      };
    }
    if (Date.now() >= deadline) break;
    await sleep(NEXT_INSTANCE_WAIT.everyMs);
  }
  return {
    structured: { task: completed },
    text:
      `${text}\nThe next instance has not appeared yet (or the series has ended); ` +
      `get_task on this task shows next_instance_id once it exists.`,
  };
}
