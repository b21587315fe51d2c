/** `get_overdue_tasks` and `get_upcoming_tasks`: pending tasks by due date, paged. */
import { z } from 'zod';
import { READ_ONLY } from '../annotations.ts';
import { pagingArgs, toPaging, type GqlPaging } from '../shapes/args.ts';
import { pageOutput, taskSummaryOutput } from '../shapes/outputs.ts';
import { taskPageQuery } from '../shapes/selections.ts';
import { pageResult } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

/** The one argument besides paging: how far ahead upcoming tasks reach. */
const WINDOW = { within_hours: z.number().describe('1-8784 (default 24).').optional() };

/** A tool that pages through the GraphQL due-date list `field`. */
export function dueTasksTool(spec: {
  name: string;
  title: string;
  description: string;
  field: 'overdueTasks' | 'upcomingTasks';
}) {
  const windowed = spec.field === 'upcomingTasks';
  const DOCUMENT = taskPageQuery<GqlPaging & { withinHours?: number | undefined }>(
    spec.field,
    `${windowed ? '$withinHours: Int, ' : ''}$first: Int, $after: String`,
  );
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: READ_ONLY,
    inputSchema: z.strictObject({ ...(windowed ? WINDOW : {}), ...pagingArgs }),
    outputSchema: pageOutput(taskSummaryOutput),
    documents: [DOCUMENT],
    async handler(input, call) {
      const { within_hours: withinHours } = input as { within_hours?: number };
      const data = await call.query(DOCUMENT, { withinHours, ...toPaging(input) });
      return pageResult(data[spec.field]!);
    },
  });
}
