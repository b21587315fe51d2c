import { z } from 'zod';
import { envelopeSchema, EVENT_TYPES, type EventType } from './contracts.ts';

/** The JSON Schema of each event type's envelope, for teams that consume the topics. */
export function eventJsonSchemas(): Record<EventType, unknown> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      { title: type, ...z.toJSONSchema(envelopeSchema(type), { target: 'draft-2020-12' }) },
    ]),
  ) as Record<EventType, unknown>;
}
