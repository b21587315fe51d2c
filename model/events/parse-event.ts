import { eventSchema, type Event } from './contracts.ts';
import { NamedError } from '../errors.ts';

/** Why a message is not a valid event; such a message goes to the dead-letter topic. */
export class PoisonMessageError extends NamedError {}

/**
 * Reads an event from a message value: valid JSON, a known type, and a payload that matches its
 * schema.
 * @throws PoisonMessageError saying which of those failed.
 */
export function parseEvent(value: string | null): Event {
  if (value === null) throw new PoisonMessageError('empty message');
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new PoisonMessageError(`not JSON: ${(error as Error).message}`);
  }
  const result = eventSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new PoisonMessageError(
      `not a valid event: ${issue.path.join('.') || 'event'}: ${issue.message}`,
    );
  }
  return result.data as Event;
}
