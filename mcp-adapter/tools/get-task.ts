import { z } from 'zod';
import { READ_ONLY } from '../annotations.ts';
import { document } from '../graphql-client.ts';
import { args } from '../shapes/args.ts';
import { taskOutput, toTask } from '../shapes/outputs.ts';
import { TASK_FIELDS, type GqlTask } from '../shapes/selections.ts';
import { describeTask } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = document<
  { task: (GqlTask & { nextInstance: { id: string } | null }) | null },
  { id: string }
>(`query GetTask($id: ID!) { task(id: $id) { ${TASK_FIELDS} nextInstance { id } } }`);

export default defineTool({
  name: 'get_task',
  title: 'Get task',
  description:
    'One task with all its fields; for a completed recurring task also next_instance_id.',
  annotations: READ_ONLY,
  inputSchema: z.strictObject({ task_id: args.taskId }),
  outputSchema: taskOutput.extend({ next_instance_id: z.string().optional() }),
  documents: [DOCUMENT],
  async handler(input, call) {
    const { task } = await call.query(DOCUMENT, { id: input.task_id });
    if (!task) return call.notFound('Task', input.task_id);
    const result = toTask(task);
    const next = task.nextInstance?.id;
    return {
      structured: next ? { ...result, next_instance_id: next } : result,
      text: describeTask(result) + (next ? `; next instance [${next}]` : ''),
    };
  },
});
