import { z } from 'zod';
import { READ_ONLY } from '../annotations.ts';
import { filterArgs, pagingArgs, toFilteredPage, type GqlFilteredPage } from '../shapes/args.ts';
import { pageOutput, taskSummaryOutput, toTask } from '../shapes/outputs.ts';
import { taskPageQuery, type GqlTask } from '../shapes/selections.ts';
import { pageResult } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

const DOCUMENT = taskPageQuery<
  GqlFilteredPage & { query: string },
  { node: GqlTask; highlight: string | null }
>('searchTasks', '$query: String!, $filter: TaskFilterInput, $first: Int, $after: String', {
  edge: 'highlight',
});

export default defineTool({
  name: 'search_tasks',
  title: 'Search tasks',
  description:
    'Full-text search over title and description, best matches first; combinable with the ' +
    'list_tasks filters.',
  annotations: READ_ONLY,
  inputSchema: z.strictObject({
    query: z
      .string()
      .describe(
        'Up to 500 chars. Words match stems and as prefix; "exact phrase", or, -exclude. ' +
          'Empty: filtered tasks, newest first.',
      ),
    ...filterArgs,
    ...pagingArgs,
  }),
  outputSchema: pageOutput(
    taskSummaryOutput
      .extend({ highlight: z.string().optional().describe('Matches wrapped in <mark></mark>.') })
      .describe(taskSummaryOutput.description ?? ''),
  ),
  documents: [DOCUMENT],
  async handler(input, call) {
    const variables = { query: input.query, ...toFilteredPage(input) };
    const { searchTasks } = await call.query(DOCUMENT, variables);
    return pageResult(searchTasks!, (edge) => ({
      ...toTask(edge.node),
      ...(edge.highlight ? { highlight: edge.highlight } : {}),
    }));
  },
});
