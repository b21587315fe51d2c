import { z } from 'zod';
import { document } from '../graphql-client.ts';
import {
  args,
  describePage,
  filterArgs,
  PAGE_FIELDS,
  pageOutput,
  TASK_FIELDS,
  taskSummaryOutput,
  toFilter,
  toPage,
  toTask,
  type GqlFilter,
  type GqlPage,
  type GqlTask,
} from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'search_tasks';
export const title = 'Search tasks';
export const description =
  'Full-text search over title and description, best matches first; combinable with the ' +
  'list_tasks filters.';

export const inputSchema = z.strictObject({
  query: z
    .string()
    .describe(
      'Up to 500 chars. Words match stems and as prefix; "exact phrase", or, -exclude. ' +
        'Empty: filtered tasks, newest first.',
    ),
  ...filterArgs,
  limit: args.limit,
  cursor: args.cursor,
});

export const outputSchema = pageOutput(
  taskSummaryOutput
    .extend({ highlight: z.string().optional().describe('Matches wrapped in <mark></mark>.') })
    .describe(taskSummaryOutput.description ?? ''),
);

export const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { searchTasks: GqlPage<{ node: GqlTask; highlight: string | null }> },
  { query: string; filter: GqlFilter; first?: number | undefined; after?: string | undefined }
>(`query SearchTasks($query: String!, $filter: TaskFilterInput, $first: Int, $after: String) {
  searchTasks(query: $query, filter: $filter, first: $first, after: $after) {
    ${PAGE_FIELDS} edges { highlight node { ${TASK_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { searchTasks } = await call.query(DOCUMENT, {
    query: input.query,
    filter: toFilter(input),
    first: input.limit,
    after: input.cursor,
  });
  const page = toPage(searchTasks, (edge) => ({
    ...toTask(edge.node),
    ...(edge.highlight ? { highlight: edge.highlight } : {}),
  }));
  return { structured: page, text: describePage(page) };
}
