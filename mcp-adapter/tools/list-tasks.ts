import { z } from 'zod';
import { READ_ONLY } from '../annotations.ts';
import { filterArgs, pagingArgs, toFilteredPage, type GqlFilteredPage } from '../shapes/args.ts';
import { pageOutput, taskSummaryOutput } from '../shapes/outputs.ts';
import { taskPageQuery } from '../shapes/selections.ts';
import { pageResult } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

/** The GraphQL `TaskOrderField` of each sort_by. */
const SORT_FIELDS = {
  created: 'CREATED_AT',
  updated: 'UPDATED_AT',
  due_date: 'DUE_DATE',
  priority: 'PRIORITY',
  title: 'TITLE',
} as const;
type SortBy = keyof typeof SORT_FIELDS;

const DOCUMENT = taskPageQuery<
  GqlFilteredPage & {
    orderBy?: { field: (typeof SORT_FIELDS)[SortBy]; direction?: string } | undefined;
  }
>('tasks', '$filter: TaskFilterInput, $orderBy: TaskOrderInput, $first: Int, $after: String', {
  name: 'ListTasks',
});

export default defineTool({
  name: 'list_tasks',
  title: 'List tasks',
  description: 'Your tasks, filtered (all filters must hold), sorted and paged.',
  annotations: READ_ONLY,
  inputSchema: z.strictObject({
    ...filterArgs,
    sort_by: z
      .enum(Object.keys(SORT_FIELDS) as [SortBy, ...SortBy[]])
      .describe('Default: newest created first.')
      .optional(),
    order: z.enum(['asc', 'desc']).describe('Default asc.').optional(),
    ...pagingArgs,
  }),
  outputSchema: pageOutput(taskSummaryOutput),
  documents: [DOCUMENT],
  async handler(input, call) {
    const sorted = input.sort_by ?? (input.order ? 'created' : undefined);
    const orderBy = sorted && { field: SORT_FIELDS[sorted], direction: input.order?.toUpperCase() };
    const variables = { ...toFilteredPage(input), orderBy };
    return pageResult((await call.query(DOCUMENT, variables)).tasks!);
  },
});
