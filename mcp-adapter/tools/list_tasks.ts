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
} from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'list_tasks';
export const title = 'List tasks';
export const description = 'Your tasks, filtered (all filters must hold), sorted and paged.';

const SORT_FIELDS = {
  created: 'CREATED_AT',
  updated: 'UPDATED_AT',
  due_date: 'DUE_DATE',
  priority: 'PRIORITY',
  title: 'TITLE',
} as const;

export const inputSchema = z.strictObject({
  ...filterArgs,
  sort_by: z
    .enum(['created', 'updated', 'due_date', 'priority', 'title'])
    .describe('Default: newest created first.')
    .optional(),
  order: z.enum(['asc', 'desc']).describe('Default asc.').optional(),
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
  { tasks: GqlPage },
  {
    filter: GqlFilter;
    orderBy?: { field: (typeof SORT_FIELDS)[keyof typeof SORT_FIELDS]; direction?: string };
    first?: number | undefined;
    after?: string | undefined;
  }
>(`query ListTasks($filter: TaskFilterInput, $orderBy: TaskOrderInput, $first: Int, $after: String) {
  tasks(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    ${PAGE_FIELDS} edges { node { ${TASK_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const sorted = input.sort_by ?? (input.order ? 'created' : undefined);
  const { tasks } = await call.query(DOCUMENT, {
    filter: toFilter(input),
    orderBy: sorted
      ? { field: SORT_FIELDS[sorted], direction: input.order?.toUpperCase() }
      : undefined,
    first: input.limit,
    after: input.cursor,
  });
  const page = toPage(tasks, (edge) => toTask(edge.node));
  return { structured: page, text: describePage(page) };
}
