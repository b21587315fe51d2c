import { z } from 'zod';
import { document } from '../graphql-client.ts';
import {
  args,
  describePage,
  PAGE_FIELDS,
  pageOutput,
  TASK_FIELDS,
  taskSummaryOutput,
  toPage,
  toTask,
  type GqlPage,
} from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'get_overdue_tasks';
export const title = 'Overdue tasks';
export const description = 'Pending tasks whose due date has passed, most overdue first.';

export const inputSchema = z.strictObject({ limit: args.limit, cursor: args.cursor });

export const outputSchema = pageOutput(taskSummaryOutput);

export const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { overdueTasks: GqlPage },
  { first?: number | undefined; after?: string | undefined }
>(`query OverdueTasks($first: Int, $after: String) {
  overdueTasks(first: $first, after: $after) { ${PAGE_FIELDS} edges { node { ${TASK_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { overdueTasks } = await call.query(DOCUMENT, {
    first: input.limit,
    after: input.cursor,
  });
  const page = toPage(overdueTasks, (edge) => toTask(edge.node));
  return { structured: page, text: describePage(page) };
}
