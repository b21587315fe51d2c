import { z } from 'zod';
import { fields } from '../validation.ts';
import { TOPICS } from './topics.ts';
import { taskSnapshotSchema } from './task-snapshot.ts';
import { CHANNEL_KINDS } from '../channel-kinds.ts';

const instant = z.iso.datetime({ offset: true });

/** The payload of each event type, at its current schema version. */
export const PAYLOADS = {
  'task.created': z.object({ task: taskSnapshotSchema }),
  'task.updated': z.object({
    task: taskSnapshotSchema,
    changed: z.array(z.string()).min(1).describe('The task fields whose values changed.'),
  }),
  'task.completed': z.object({ task: taskSnapshotSchema }),
  'task.reopened': z.object({ task: taskSnapshotSchema }),
  'task.deleted': z.object({
    task: taskSnapshotSchema.describe('The task as it was when deleted.'),
  }),
  'reminder.due': z.object({
    task: taskSnapshotSchema,
    remindAt: instant,
    dueAt: instant.nullable(),
    firedAt: instant,
    late: z.boolean().describe('True when sent after its time, e.g. after the service was down.'),
  }),
  'reminder.sent': z.object({
    remindAt: instant,
    dueEventId: z.uuid().describe('The `reminder.due` event whose deliveries this reports.'),
    deliveredAt: instant
      .nullable()
      .describe('When the first channel acknowledged it; null when none did (or none is set up).'),
    channels: z
      .array(
        z.object({
          channelId: z.uuid(),
          kind: z.enum(CHANNEL_KINDS),
          outcome: z.enum(['delivered', 'failed', 'cancelled']),
          attempts: z.number().int().nonnegative(),
          statusCode: z.number().int().nullable(),
          finishedAt: instant,
        }),
      )
      .describe('The outcome per channel the user had set up when the reminder fired.'),
  }),
  'task.recurred': z.object({
    completedTask: taskSnapshotSchema,
    nextTask: taskSnapshotSchema.nullable().describe('Null when the series has ended.'),
    seriesEnded: z.boolean(),
  }),
} as const;

export type EventType = keyof typeof PAYLOADS;
export const EVENT_TYPES = Object.keys(PAYLOADS) as EventType[];

/** Schema version of every payload above; bump one when its shape changes incompatibly. */
export const SCHEMA_VERSION = 1;

/** The topic each event type travels on. Key = task id, so one task's events stay in order. */
export const TOPIC_OF: Record<EventType, string> = {
  'task.created': TOPICS.taskEvents.name,
  'task.updated': TOPICS.taskEvents.name,
  'task.completed': TOPICS.taskEvents.name,
  'task.reopened': TOPICS.taskEvents.name,
  'task.deleted': TOPICS.taskEvents.name,
  'reminder.due': TOPICS.taskReminders.name,
  'reminder.sent': TOPICS.taskReminders.name,
  'task.recurred': TOPICS.taskRecurrence.name,
};

const envelopeFields = {
  id: z.uuid().describe('Unique event id; consumers deduplicate on it.'),
  schemaVersion: z.literal(SCHEMA_VERSION),
  occurredAt: instant,
  userId: fields.text.min(1).max(255).describe('The owner; events never cross users.'),
  taskId: z.uuid(),
};

/** The envelope of one event type, with its payload. */
export function envelopeSchema<T extends EventType>(type: T) {
  return z.object({ ...envelopeFields, type: z.literal(type), payload: PAYLOADS[type] });
}

/** Any event: the envelope, discriminated by `type`. */
export const eventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((type) => envelopeSchema(type)) as unknown as [
    ReturnType<typeof envelopeSchema<EventType>>,
    ...ReturnType<typeof envelopeSchema<EventType>>[],
  ],
);

/** One event of type T. */
export type Event<T extends EventType = EventType> = {
  [K in T]: z.infer<ReturnType<typeof envelopeSchema<K>>>;
}[T];
