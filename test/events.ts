import { randomUUID } from 'node:crypto';
import { newEvent } from '../model/events/new-event.ts';
import type { TaskSnapshot } from '../model/events/task-snapshot.ts';
import type { OutgoingMessage } from '../messaging/transport.ts';

/** A valid task snapshot for events made up by tests. */
export function sampleSnapshot(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    title: 'Sample',
    description: null,
    completed: false,
    completedAt: null,
    priority: 'medium',
    dueAt: null,
    timeZone: 'UTC',
    categoryId: null,
    tagIds: [],
    recurrenceRule: null,
    recurrenceAnchor: 'due_date',
    seriesId: null,
    seriesIndex: 1,
    seriesStartAt: null,
    previousTaskId: null,
    remindBeforeMinutes: null,
    remindAt: null,
    reminderSentAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

/** `count` task.created events of one user as messages for `topic`. */
export function createdEvents(topic: string, userId: string, count: number): OutgoingMessage[] {
  return Array.from({ length: count }, () => {
    const task = sampleSnapshot();
    const event = newEvent('task.created', userId, task.id, { task });
    return { topic, key: task.id, value: JSON.stringify(event) };
  });
}
