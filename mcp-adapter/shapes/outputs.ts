/**
 * The snake_case shapes of tool results (nulls left out to keep results short), and how a
 * GraphQL task, label or page becomes one.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { GqlLabel, GqlPage, GqlTask } from './selections.ts';

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

/** A page of tasks as a result, its items of type `Item`. */
export interface PageOutput<Item> {
  tasks: Item[];
  total: number;
  next_cursor?: string;
}

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
): PageOutput<Item> {
  return compact({
    tasks: page.edges.map(item),
    total: page.totalCount,
    next_cursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
  });
}
