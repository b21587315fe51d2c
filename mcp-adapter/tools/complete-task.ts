import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { IDEMPOTENT_WRITE } from '../annotations.ts';
import { document } from '../graphql-client.ts';
import { args } from '../shapes/args.ts';
import { taskSummaryOutput, toTask, type TaskOutput } from '../shapes/outputs.ts';
import { TASK_FIELDS, taskMutation, type GqlTask } from '../shapes/selections.ts';
import { describeTask, taskResult } from '../shapes/summaries.ts';
import { defineTool, type ToolCall } from '../tool.ts';

const DOCUMENT = taskMutation<{ id: string }>('completeTask', '$id: ID!');

/** The recurring task service creates the next instance after the completion event. */
export const NEXT_INSTANCE = document<
  { task: { nextInstance: GqlTask | null } | null },
  { id: string }
>(`query NextInstance($id: ID!) { task(id: $id) { nextInstance { ${TASK_FIELDS} } } }`);

/**
 * How long to wait for the next instance of a recurring task, and how often to look: the
 * recurring task service takes about 100 ms (p95) here, and an agent's call should answer well
 * within 2 s even when no instance comes (the series ended, or the service is down).
 */
export const NEXT_INSTANCE_WAIT = { totalMs: 1_500, everyMs: 100 };

async function nextInstance(call: ToolCall, id: string): Promise<TaskOutput | undefined> {
  const deadline = Date.now() + NEXT_INSTANCE_WAIT.totalMs;
  for (;;) {
    const { task } = await call.query(NEXT_INSTANCE, { id });
    if (task?.nextInstance) return toTask(task.nextInstance);
    if (Date.now() >= deadline) return undefined;
    await sleep(NEXT_INSTANCE_WAIT.everyMs);
  }
}

export default defineTool({
  name: 'complete_task',
  title: 'Complete task',
  description:
    'Mark a task completed (again: no change). For a recurring task also returns next_instance, ' +
    'the next occurrence, once created (usually within a second).',
  annotations: IDEMPOTENT_WRITE,
  inputSchema: z.strictObject({ task_id: args.taskId }),
  outputSchema: z.object({
    task: taskSummaryOutput,
    next_instance: taskSummaryOutput.optional(),
  }),
  documents: [DOCUMENT, NEXT_INSTANCE],
  async handler(input, call) {
    const { task } = await call.mutation(DOCUMENT, { id: input.task_id }, 'completeTask');
    const { structured: completed, text } = taskResult('Completed', task);
    if (!task.recurrenceRule) return { structured: { task: completed }, text };
    const next = await nextInstance(call, task.id);
    if (next) {
      return {
        structured: { task: completed, next_instance: next },
        text: `${text}\nNext instance: ${describeTask(next)}`,
      };
    }
    return {
      structured: { task: completed },
      text:
        `${text}\nThe next instance has not appeared yet (or the series has ended); ` +
        `get_task on this task shows next_instance_id once it exists.`,
    };
  },
});
