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

export const name = 'add_task';
export const title = 'Add task';
export const description =
  'Create a task. With recurrence_rule, completing it creates the next instance. ' +
  'A reminder defaults to 60 minutes before due_date.';

export const inputSchema = z.strictObject({
  title: args.title,
  description: args.description.optional(),
  due_date: args.dueDate.optional(),
  time_zone: args.timeZone.describe(`${args.timeZone.description} Default UTC.`).optional(),
  priority: args.priority.describe('Default medium.').optional(),
  category_id: args.categoryId.optional(),
  tag_ids: args.tagIds.optional(),
  recurrence_rule: args.recurrenceRule.optional(),
  recurrence_anchor: args.recurrenceAnchor.optional(),
  remind_before_minutes: args.remindBeforeMinutes.optional(),
  idempotency_key: z
    .string()
    .describe('Retry-safe: a repeated key returns the task first created with it.')
    .optional(),
});

export const outputSchema = taskSummaryOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { createTask: { __typename: 'CreateTaskSuccess'; task: GqlTask } | TypedError },
  {
    input: {
      title: string;
      description?: string | undefined;
      dueAt?: string | undefined;
      timeZone?: string | undefined;
      priority?: GqlPriority | undefined;
      categoryId?: string | undefined;
      tagIds?: string[] | undefined;
      recurrenceRule?: string | undefined;
      recurrenceAnchor?: 'DUE_DATE' | 'COMPLETION' | undefined;
      remindBeforeMinutes?: number | undefined;
      idempotencyKey?: string | undefined;
    };
  }
>(`mutation AddTask($input: CreateTaskInput!) {
  createTask(input: $input) { ${ERROR_FIELDS} ... on CreateTaskSuccess { task { ${TASK_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { task } = await call.mutation(
    DOCUMENT,
    {
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
        idempotencyKey: input.idempotency_key,
      },
    },
    'createTask',
  );
  const result = toTask(task);
  return { structured: result, text: `Added ${describeTask(result)}` };
}
