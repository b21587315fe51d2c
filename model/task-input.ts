import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { PRIORITIES, RECURRENCE_ANCHORS } from './task.ts';
import { fields } from './validation.ts';

const tagIds = z
  .array(fields.id('tag'))
  .transform((ids) => [...new Set(ids)])
  .refine((ids) => ids.length <= LIMITS.tagsPerTask, {
    message: `may hold at most ${LIMITS.tagsPerTask} different tags`,
  });

const description = fields.description.transform((text) => (text.trim() === '' ? null : text));

/** What `createTask` accepts. */
export const createTaskInput = z.object({
  title: fields.title,
  description: description.nullish(),
  priority: z.enum(PRIORITIES).nullish(),
  dueAt: fields.instant.nullish(),
  timeZone: fields.timeZone.nullish(),
  categoryId: fields.id('category').nullish(),
  tagIds: tagIds.nullish(),
  recurrenceRule: fields.recurrenceRule.nullish(),
  recurrenceAnchor: z.enum(RECURRENCE_ANCHORS).nullish(),
  remindBeforeMinutes: fields.remindBeforeMinutes.nullish(),
  idempotencyKey: fields.idempotencyKey.nullish(),
});
export type CreateTaskInput = z.input<typeof createTaskInput>;

const notNull = { message: 'cannot be null; leave it out to keep the current value' };

/**
 * What `updateTask` accepts: every field optional; `null` clears the nullable ones
 * (description, dueAt, categoryId, tagIds, recurrenceRule, remindBeforeMinutes).
 */
export const updateTaskInput = z.object({
  title: fields.title.nullish().refine((value) => value !== null, notNull),
  description: description.nullish(),
  priority: z
    .enum(PRIORITIES)
    .nullish()
    .refine((value) => value !== null, notNull),
  dueAt: fields.instant.nullish(),
  timeZone: fields.timeZone.nullish().refine((value) => value !== null, notNull),
  categoryId: fields.id('category').nullish(),
  tagIds: tagIds.nullish(),
  recurrenceRule: fields.recurrenceRule.nullish(),
  recurrenceAnchor: z
    .enum(RECURRENCE_ANCHORS)
    .nullish()
    .refine((value) => value !== null, notNull),
  remindBeforeMinutes: fields.remindBeforeMinutes.nullish(),
});
export type UpdateTaskInput = z.input<typeof updateTaskInput>;
