import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { PAYLOADS } from './contracts.ts';
import { SCHEMA_VERSION, type Event, type EventType } from './contracts.ts';

/** Builds a new event of `type` about one task of one user. */
export function newEvent<T extends EventType>(
  type: T,
  userId: string,
  taskId: string,
  payload: z.infer<(typeof PAYLOADS)[T]>,
  occurredAt = new Date(),
): Event<T> {
  return {
    id: randomUUID(),
    type,
    schemaVersion: SCHEMA_VERSION,
    occurredAt: occurredAt.toISOString(),
    userId,
    taskId,
    payload,
  } as Event<T>;
}
