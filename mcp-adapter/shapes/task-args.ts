/**
 * A task's own fields as arguments: add_task and update_task take them all, set_reminder the
 * reminder; one place says what each means and how it becomes a GraphQL input field.
 */
import { z } from 'zod';
import { args } from './args.ts';
import { ANCHORS, PRIORITIES } from './outputs.ts';
import type { GqlAnchor, GqlPriority } from './selections.ts';

const minutesBefore = 'Minutes before due_date, 0-525600';

/** Each task field as an argument, as its value is. */
const fields = {
  title: z.string().describe('1-200 characters.'),
  description: z.string().describe('Up to 10,000 characters.'),
  due_date: z.string().describe('ISO 8601 with offset, e.g. 2026-12-01T09:00:00+01:00.'),
  time_zone: z.string().describe('IANA zone for due_date and recurrence, e.g. Europe/Berlin.'),
  priority: z.enum(PRIORITIES).describe('Task priority.'),
  category_id: args.categoryId,
  tag_ids: z.array(z.string()).describe('Up to 10 tag ids (from list_tags).'),
  recurrence_rule: z
    .string()
    .describe(
      'RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE. FREQ DAILY|WEEKLY|MONTHLY|YEARLY; ' +
        'INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL.',
    ),
  recurrence_anchor: z
    .enum(ANCHORS)
    .describe('Next instance counted from the due date (default) or the completion time.'),
  remind_before_minutes: z.number().describe(`${minutesBefore} (default 60 when due_date is set).`),
};
type Fields = typeof fields;

/** The fields update_task clears when given `null`. */
export const CLEARABLE = [
  'description',
  'due_date',
  'category_id',
  'tag_ids',
  'recurrence_rule',
  'remind_before_minutes',
] as const;

/** Each field optional; the `nullable` ones also take `null`. */
function optionalFields<N extends keyof Fields = never>(nullable: readonly N[] = []) {
  const entries = Object.entries(fields) as [string, z.ZodType][];
  return Object.fromEntries(
    entries.map(([key, schema]) => [
      key,
      (nullable as readonly string[]).includes(key)
        ? schema.nullable().optional()
        : schema.optional(),
    ]),
  ) as { [K in keyof Fields]: z.ZodOptional<K extends N ? z.ZodNullable<Fields[K]> : Fields[K]> };
}

/** add_task's fields: a title, everything else optional, with the defaults a new task gets. */
export const createTaskArgs = {
  ...optionalFields(),
  title: fields.title,
  time_zone: fields.time_zone.describe(`${fields.time_zone.description} Default UTC.`).optional(),
  priority: fields.priority.describe('Default medium.').optional(),
};

/** update_task's fields: each optional; `null` clears the {@link CLEARABLE} ones. */
export const updateTaskArgs = {
  ...optionalFields(CLEARABLE),
  tag_ids: fields.tag_ids.describe('Replaces all tags; up to 10 tag ids.').nullable().optional(),
};

/** set_reminder's fields: exactly one of them. */
export const reminderArgs = {
  remind_before_minutes: z
    .number()
    .describe(`${minutesBefore}; moves with the due date.`)
    .optional(),
  remind_at: z.string().describe('Absolute time, ISO 8601 with offset.').optional(),
};

/** The GraphQL `CreateTaskInput` / `UpdateTaskInput` fields for the task field arguments. */
export function toTaskInput(input: z.output<z.ZodObject<typeof updateTaskArgs>>) {
  return {
    title: input.title,
    description: input.description,
    dueAt: input.due_date,
    timeZone: input.time_zone,
    priority: input.priority?.toUpperCase() as GqlPriority | undefined,
    categoryId: input.category_id,
    tagIds: input.tag_ids,
    recurrenceRule: input.recurrence_rule,
    recurrenceAnchor: input.recurrence_anchor?.toUpperCase() as GqlAnchor | undefined,
    remindBeforeMinutes: input.remind_before_minutes,
  };
}

/** The GraphQL task input type. */
export type GqlTaskInput = ReturnType<typeof toTaskInput>;
