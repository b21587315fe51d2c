import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/** Every tool works on the caller's own tasks only, so none is open-world. */
const hints = (readOnly: boolean, destructive: boolean, idempotent: boolean): ToolAnnotations =>
  Object.freeze({
    readOnlyHint: readOnly,
    destructiveHint: destructive,
    idempotentHint: idempotent,
    openWorldHint: false,
  });

/** Reads and changes nothing. */
export const READ_ONLY = hints(true, false, true);

/** Adds or changes without losing anything; calling it again changes nothing more. */
export const IDEMPOTENT_WRITE = hints(false, false, true);

/** Overwrites or deletes; calling it again changes nothing more. */
export const DESTRUCTIVE = hints(false, true, true);

/** Overwrites relative to now (a snooze): calling it again moves it again. */
export const RESCHEDULE = hints(false, true, false);

/** Creates something new each time it is called. */
export const WRITE = hints(false, false, false);
