import { z } from 'zod';
import { document } from '../graphql-client.ts';
import { ERROR_FIELDS, type TypedError } from '../errors.ts';
import {
  args,
  describeTask,
  TASK_FIELDS,
  taskSummaryOutput,
  toTask,
  type GqlPriority,
  type GqlTask,
} from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'update_task';
export const title = 'Update task';
export const description =
  'Change a task: only the given arguments change; null clears description, due_date, ' +
  'category_id, tag_ids, recurrence_rule, remind_before_minutes. Use complete_task to complete.';

export const inputSchema = z.strictObject({
  task_id: args.taskId,
  title: args.title.optional(),
  description: args.description.nullable().optional(),
  due_date: args.dueDate.nullable().optional(),
  time_zone: args.timeZone.optional(),
  priority: args.priority.optional(),
  category_id: args.categoryId.nullable().optional(),
  tag_ids: args.tagIds.describe('Replaces all tags; up to 10 tag ids.').nullable().optional(),
  recurrence_rule: args.recurrenceRule.nullable().optional(),
  recurrence_anchor: args.recurrenceAnchor.optional(),
  remind_before_minutes: args.remindBeforeMinutes.nullable().optional(),
});

export const outputSchema = taskSummaryOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

type Clearable<T> = T | null | undefined;

export const DOCUMENT = document<
  { updateTask: { __typename: 'UpdateTaskSuccess'; task: GqlTask } | TypedError },
  {
    id: string;
    input: {
      title?: string | undefined;
      description?: Clearable<string>;
      dueAt?: Clearable<string>;
      timeZone?: string | undefined;
      priority?: GqlPriority | undefined;
      categoryId?: Clearable<string>;
      tagIds?: Clearable<string[]>;
      recurrenceRule?: Clearable<string>;
      recurrenceAnchor?: 'DUE_DATE' | 'COMPLETION' | undefined;
      remindBeforeMinutes?: Clearable<number>;
    };
  }
>(`mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {
  updateTask(id: $id, input: $input) { ${ERROR_FIELDS} ... on UpdateTaskSuccess { task { ${TASK_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(
    DOCUMENT,
    {
      id: input.task_id,
      input: {
        title: input.title,
        description: input.description,
        dueAt: input.due_date,
        timeZone: input.time_zone,
        priority: input.priority?.toUpperCase() as GqlPriority | undefined,
        categoryId: input.category_id,
        tagIds: input.tag_ids,
        recurrenceRule: input.recurrence_rule,
        recurrenceAnchor: input.recurrence_anchor?.toUpperCase() as 'DUE_DATE' | undefined,
        remindBeforeMinutes: input.remind_before_minutes,
      },
    },
    'updateTask',
  );
  const result = toTask(task);
  return { structured: result, text: `Updated ${describeTask(result)}` };
}
