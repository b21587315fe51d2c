import type { TopicSpec } from './transport.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The topics of the product and their default settings. */
export const TOPICS = {
  taskEvents: { name: 'task-events', partitions: 6, retentionMs: 7 * DAY_MS },
  taskReminders: { name: 'task-reminders', partitions: 6, retentionMs: 1 * DAY_MS },
  taskRecurrence: { name: 'task-recurrence', partitions: 6, retentionMs: 7 * DAY_MS },
  deadLetter: { name: 'task-dead-letter', partitions: 1, retentionMs: 14 * DAY_MS },
} as const satisfies Record<string, TopicSpec>;
