import { z } from 'zod';
import { PRIORITIES, RECURRENCE_ANCHORS, type Task } from '../task.ts';

const instant = z.iso.datetime({ offset: true });

/** A task as events carry it: every field, dates as ISO 8601 strings, and its tag ids. */
export const taskSnapshotSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  completedAt: instant.nullable(),
  priority: z.enum(PRIORITIES),
  dueAt: instant.nullable(),
  timeZone: z.string(),
  categoryId: z.uuid().nullable(),
  tagIds: z.array(z.uuid()),
  recurrenceRule: z.string().nullable(),
  recurrenceAnchor: z.enum(RECURRENCE_ANCHORS),
  seriesId: z.uuid().nullable(),
  seriesIndex: z.number().int().positive(),
  // Added after the first release of schema version 1: older events may lack it.
  seriesStartAt: instant.nullable().default(null),
  previousTaskId: z.uuid().nullable(),
  remindBeforeMinutes: z.number().int().nullable(),
  remindAt: instant.nullable(),
  reminderSentAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int().positive(),
});
export type TaskSnapshot = z.infer<typeof taskSnapshotSchema>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The snapshot of a task with its tags, as written into an event. */
export function snapshotOf(task: Task, tagIds: string[]): TaskSnapshot {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    completed: task.completed,
    completedAt: iso(task.completedAt),
    priority: task.priority,
    dueAt: iso(task.dueAt),
    timeZone: task.timeZone,
    categoryId: task.categoryId,
    tagIds,
    recurrenceRule: task.recurrenceRule,
    recurrenceAnchor: task.recurrenceAnchor,
    seriesId: task.seriesId,
    seriesIndex: task.seriesIndex,
    seriesStartAt: iso(task.seriesStartAt),
    previousTaskId: task.previousTaskId,
    remindBeforeMinutes: task.remindBeforeMinutes,
    remindAt: iso(task.remindAt),
    reminderSentAt: iso(task.reminderSentAt),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    version: task.version,
  };
}

const dateOf = (iso: string | null) => (iso === null ? null : new Date(iso));

/** The task an event describes, as it was at the event, for the user the event belongs to. */
export function taskOfSnapshot(snapshot: TaskSnapshot, userId: string): Task {
  return {
    id: snapshot.id,
    userId,
    title: snapshot.title,
    description: snapshot.description,
    completed: snapshot.completed,
    completedAt: dateOf(snapshot.completedAt),
    priority: snapshot.priority,
    dueAt: dateOf(snapshot.dueAt),
    timeZone: snapshot.timeZone,
    categoryId: snapshot.categoryId,
    recurrenceRule: snapshot.recurrenceRule,
    recurrenceAnchor: snapshot.recurrenceAnchor,
    seriesId: snapshot.seriesId,
    seriesIndex: snapshot.seriesIndex,
    seriesStartAt: dateOf(snapshot.seriesStartAt),
    previousTaskId: snapshot.previousTaskId,
    remindBeforeMinutes: snapshot.remindBeforeMinutes,
    remindAt: dateOf(snapshot.remindAt),
    reminderSentAt: dateOf(snapshot.reminderSentAt),
    createdAt: new Date(snapshot.createdAt),
    updatedAt: new Date(snapshot.updatedAt),
    version: snapshot.version,
  };
}
