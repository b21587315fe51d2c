import { tagsOfTasks } from '../domain/labels.ts';
import { getTask } from '../domain/task-queries.ts';
import type { Task as TaskShape } from '../model/task.ts';
import { builder } from './builder.ts';
import { Category, Tag } from './label.ts';
import { scopeOf } from './scope.ts';

export const Priority = builder.enumType('Priority', {
  values: {
    LOW: { value: 'low' },
    MEDIUM: { value: 'medium' },
    HIGH: { value: 'high' },
    URGENT: { value: 'urgent' },
  } as const,
});

export const RecurrenceAnchor = builder.enumType('RecurrenceAnchor', {
  description: 'What the next instance of a recurring task is computed from.',
  values: {
    DUE_DATE: {
      value: 'due_date',
      description: 'The due date of the completed instance (no drift).',
    },
    COMPLETION: { value: 'completion', description: 'The moment the instance was completed.' },
  } as const,
});

/** Fields of the Task type that expose the Task property of their name. */
const EXPOSED = [
  'id',
  'title',
  'description',
  'completed',
  'completedAt',
  'priority',
  'dueAt',
  'timeZone',
  'recurrenceRule',
  'recurrenceAnchor',
  'remindBeforeMinutes',
  'remindAt',
  'reminderSentAt',
  'createdAt',
  'updatedAt',
  'version',
  'seriesId',
  'seriesIndex',
] as const satisfies readonly (keyof TaskShape)[];

/**
 * The Task properties each field of the Task type reads, for the fields known to read no other:
 * a list asked for such fields only reads only their columns (schema/task-list.ts). A field
 * missing here makes a list read whole tasks; one that reads more than it says here answers
 * wrongly from a list, which schema/task-fields.spec.ts checks field by field.
 */
export const TASK_FIELD_READS: ReadonlyMap<string, readonly (keyof TaskShape)[]> = new Map<
  string,
  readonly (keyof TaskShape)[]
>([
  ['__typename', []],
  ...EXPOSED.map((field): [string, [keyof TaskShape]] => [field, [field]]),
  ['category', ['categoryId']],
  ['tags', ['id']],
  ['nextInstance', ['id']],
]);

/** A task of the signed-in user. */
export const Task = builder.objectRef<TaskShape>('Task').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    completed: t.exposeBoolean('completed'),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    priority: t.expose('priority', { type: Priority }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    timeZone: t.exposeString('timeZone', {
      description:
        'The IANA time zone the due date was given in; recurrence follows it across DST.',
    }),
    category: t.field({
      type: Category,
      nullable: true,
      resolve: (task) => task.categoryId,
    }),
    tags: t.loadableList({
      type: Tag,
      description: 'Up to ten tags, by name.',
      load: (ids: string[], ctx) => tagsOfTasks(scopeOf(ctx), ids),
      resolve: (task) => task.id,
    }),
    recurrenceRule: t.exposeString('recurrenceRule', {
      nullable: true,
      description: 'RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR.',
    }),
    recurrenceAnchor: t.expose('recurrenceAnchor', { type: RecurrenceAnchor }),
    remindBeforeMinutes: t.exposeInt('remindBeforeMinutes', {
      nullable: true,
      description:
        'Reminder offset before the due date; it moves with the due date. Null for an absolute reminder.',
    }),
    remindAt: t.expose('remindAt', { type: 'DateTime', nullable: true }),
    reminderSentAt: t.expose('reminderSentAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version', { description: 'Increases with every change.' }),
  }),
});

builder.queryField('task', (t) =>
  t.field({
    type: Task,
    nullable: true,
    description: 'One of your tasks; null when it does not exist (or is not yours).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => getTask(scopeOf(ctx), String(id)),
  }),
);
