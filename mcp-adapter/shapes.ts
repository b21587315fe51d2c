import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * What the tools share: the GraphQL selections of a task and a label, their snake_case output
 * shapes (nulls left out to keep results short), the common arguments and the text summaries.
 */

// ---------------------------------------------------------------------------------------------
// GraphQL selections and their types
// ---------------------------------------------------------------------------------------------

/** The selection of a task. */
export const TASK_FIELDS = `id title description completed completedAt priority dueAt timeZone
  category { id name } tags { id name } recurrenceRule recurrenceAnchor remindAt
  remindBeforeMinutes createdAt updatedAt`;

/** The selection of a category or tag. */
export const LABEL_FIELDS = 'id name color taskCount';

/** The selection of a page of a task connection (append `highlight` for search). */
export const PAGE_FIELDS = `totalCount pageInfo { hasNextPage endCursor }`;

export type GqlPriority = 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';

/** A task as {@link TASK_FIELDS} selects it. */
export interface GqlTask {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: string | null;
  priority: GqlPriority;
  dueAt: string | null;
  timeZone: string;
  category: { id: string; name: string } | null;
  tags: { id: string; name: string }[];
  recurrenceRule: string | null;
  recurrenceAnchor: 'DUE_DATE' | 'COMPLETION';
  remindAt: string | null;
  remindBeforeMinutes: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A category or tag as {@link LABEL_FIELDS} selects it. */
export interface GqlLabel {
  id: string;
  name: string;
  color: string;
  taskCount: number;
}

/** A page of tasks as {@link PAGE_FIELDS} and `edges { node { ... } }` select it. */
export interface GqlPage<Edge = { node: GqlTask }> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Edge[];
}

// ---------------------------------------------------------------------------------------------
// Output shapes
// ---------------------------------------------------------------------------------------------

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const ANCHORS = ['due_date', 'completion'] as const;

const ref = z.object({ id: z.string(), name: z.string() });

/** A task in tool results: times ISO 8601; due_date and remind_at in the task's time zone. */
export const taskOutput = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  completed: z.boolean(),
  completed_at: z.string().optional(),
  priority: z.enum(PRIORITIES),
  due_date: z.string().optional(),
  time_zone: z.string(),
  category: ref.optional(),
  tags: z.array(ref),
  recurrence_rule: z.string().optional(),
  recurrence_anchor: z.enum(ANCHORS).optional(),
  remind_at: z.string().optional(),
  remind_before_minutes: z.number().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TaskOutput = z.output<typeof taskOutput>;

/**
 * A task in the results of every tool but get_task: its id and title declared, every other field
 * as get_task declares it. Spelling out the whole task in each tool's output schema would cost
 * about a thousand characters per tool in the agent's context.
 */
export const taskSummaryOutput = z
  .looseObject({ id: z.string(), title: z.string() })
  .describe('Task, fields as in get_task.');

/** A category or tag in tool results. */
export const labelOutput = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  task_count: z.number(),
});
export type LabelOutput = z.output<typeof labelOutput>;

/** A page of tasks in tool results. */
export const pageOutput = <Item extends z.ZodObject>(item: Item) =>
  z.object({
    tasks: z.array(item),
    total: z.number(),
    next_cursor: z.string().optional().describe('Pass as cursor for the next page.'),
  });

const inZone = (iso: string | null, zone: string) =>
  iso
    ? (DateTime.fromISO(iso).setZone(zone).toISO({ suppressMilliseconds: true }) ?? iso)
    : undefined;

/** Drops the undefined values, so a result carries only what is set. */
const compact = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** A task in tool results. */
export function toTask(task: GqlTask): TaskOutput {
  return compact({
    id: task.id,
    title: task.title,
    description: task.description ?? undefined,
    completed: task.completed,
    completed_at: task.completedAt ?? undefined,
    priority: task.priority.toLowerCase() as TaskOutput['priority'],
    due_date: inZone(task.dueAt, task.timeZone),
    time_zone: task.timeZone,
    category: task.category ?? undefined,
    tags: task.tags,
    recurrence_rule: task.recurrenceRule ?? undefined,
    recurrence_anchor: task.recurrenceRule
      ? (task.recurrenceAnchor.toLowerCase() as TaskOutput['recurrence_anchor'])
      : undefined,
    remind_at: inZone(task.remindAt, task.timeZone),
    remind_before_minutes: task.remindBeforeMinutes ?? undefined,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
  });
}

/** A category or tag in tool results. */
export const toLabel = (label: GqlLabel): LabelOutput => ({
  id: label.id,
  name: label.name,
  color: label.color,
  task_count: label.taskCount,
});

/** A page of tasks in tool results. */
export function toPage<Edge extends { node: GqlTask }, Item>(
  page: GqlPage<Edge>,
  item: (edge: Edge) => Item,
): { tasks: Item[]; total: number; next_cursor?: string } {
  return compact({
    tasks: page.edges.map(item),
    total: page.totalCount,
    next_cursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

/** The arguments several tools take, with what an agent needs to fill them in. */
export const args = {
  taskId: z.string().describe('Task id (from task results).'),
  categoryId: z.string().describe('Category id (from list_categories).'),
  tagId: z.string().describe('Tag id (from list_tags).'),
  title: z.string().describe('1-200 characters.'),
  description: z.string().describe('Up to 10,000 characters.'),
  dueDate: z.string().describe('ISO 8601 with offset, e.g. 2026-12-01T09:00:00+01:00.'),
  timeZone: z.string().describe('IANA zone for due_date and recurrence, e.g. Europe/Berlin.'),
  priority: z.enum(PRIORITIES).describe('Task priority.'),
  tagIds: z.array(z.string()).describe('Up to 10 tag ids (from list_tags).'),
  recurrenceRule: z
    .string()
    .describe(
      'RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE. FREQ DAILY|WEEKLY|MONTHLY|YEARLY; ' +
        'INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL.',
    ),
  recurrenceAnchor: z
    .enum(ANCHORS)
    .describe('Next instance counted from the due date (default) or the completion time.'),
  remindBeforeMinutes: z
    .number()
    .describe('Minutes before due_date, 0-525600 (default 60 when due_date is set).'),
  name: (max: number) => z.string().describe(`1-${max} characters, unique per user.`),
  color: z.string().describe('#RRGGBB, e.g. #3B82F6.'),
  limit: z.number().describe('Page size 1-100 (default 20).').optional(),
  cursor: z.string().describe('next_cursor of the previous page.').optional(),
};

/** The filters of list_tasks and search_tasks, as arguments. */
export const filterArgs = {
  status: z.enum(['all', 'pending', 'completed']).describe('Default all.').optional(),
  priorities: z.array(z.enum(PRIORITIES)).describe('Any of these.').optional(),
  category_id: args.categoryId.optional(),
  tag_ids: z.array(z.string()).describe('Tasks with any of these tags.').optional(),
  due_before: z.string().describe('ISO 8601; due strictly before.').optional(),
  due_after: z.string().describe('ISO 8601; due at or after.').optional(),
};

/** The GraphQL `TaskFilterInput` for {@link filterArgs}. */
export function toFilter(filter: {
  status?: 'all' | 'pending' | 'completed' | undefined;
  priorities?: readonly (typeof PRIORITIES)[number][] | undefined;
  category_id?: string | undefined;
  tag_ids?: string[] | undefined;
  due_before?: string | undefined;
  due_after?: string | undefined;
}) {
  return {
    status: filter.status?.toUpperCase() as 'ALL' | 'PENDING' | 'COMPLETED' | undefined,
    priorities: filter.priorities?.map((p) => p.toUpperCase() as GqlPriority),
    categoryId: filter.category_id,
    tagIds: filter.tag_ids,
    dueBefore: filter.due_before,
    dueAfter: filter.due_after,
  };
}

/** The GraphQL `TaskFilterInput` type. */
export type GqlFilter = ReturnType<typeof toFilter>;

// ---------------------------------------------------------------------------------------------
// Text summaries
// ---------------------------------------------------------------------------------------------

/** One line about a task: what an agent needs to talk about it and to call the next tool. */
export function describeTask(task: TaskOutput): string {
  const parts = [
    task.completed ? 'completed' : 'pending',
    task.priority,
    task.due_date && `due ${task.due_date} (${task.time_zone})`,
    task.category && `category ${task.category.name}`,
    task.tags.length > 0 && `tags ${task.tags.map((tag) => tag.name).join(', ')}`,
    task.recurrence_rule && `repeats ${task.recurrence_rule}`,
    task.remind_at && `reminder ${task.remind_at}`,
  ];
  return `"${task.title}" [${task.id}]: ${parts.filter(Boolean).join(', ')}`;
}

/** A page of tasks as text, one line each. */
export function describePage(page: { tasks: TaskOutput[]; total: number; next_cursor?: string }) {
  const head = `${page.tasks.length} of ${page.total} task(s)`;
  const more = page.next_cursor ? `; more with cursor ${page.next_cursor}` : '';
  return [`${head}${more}.`, ...page.tasks.map((task) => `- ${describeTask(task)}`)].join('\n');
}

/** One line about a category or tag. */
export const describeLabel = (label: LabelOutput) =>
  `"${label.name}" [${label.id}] ${label.color}, ${label.task_count} task(s)`;
