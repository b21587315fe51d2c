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

export const name = 'get_upcoming_tasks';
export const title = 'Upcoming tasks';
export const description = 'Pending tasks due within the next hours, soonest first.';

export const inputSchema = z.strictObject({
  within_hours: z.number().describe('1-8784 (default 24).').optional(),
  limit: args.limit,
  cursor: args.cursor,
});

export const outputSchema = pageOutput(taskSummaryOutput);

export const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { upcomingTasks: GqlPage },
  { withinHours?: number | undefined; first?: number | undefined; after?: string | undefined }
>(`query UpcomingTasks($withinHours: Int, $first: Int, $after: String) {
  upcomingTasks(withinHours: $withinHours, first: $first, after: $after) {
    ${PAGE_FIELDS} edges { node { ${TASK_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { upcomingTasks } = await call.query(DOCUMENT, {
    withinHours: input.within_hours,
    first: input.limit,
    after: input.cursor,
  });
  const page = toPage(upcomingTasks, (edge) => toTask(edge.node));
  return { structured: page, text: describePage(page) };
}
