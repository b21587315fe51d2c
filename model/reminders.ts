import { ValidationError } from './errors.ts';

/** Without an explicit reminder, a task with a due date reminds this long before it. */
export const DEFAULT_REMIND_BEFORE_MINUTES = 60;

const MINUTE_MS = 60_000;

/**
 * When a task with a relative reminder reminds: `minutes` before its due date, or at once if that
 * moment has passed but the due date has not; never for a task that is already due.
 */
export function relativeReminderTime(dueAt: Date, minutes: number, now: Date): Date | null {
  if (dueAt.getTime() <= now.getTime()) return null;
  return new Date(Math.max(dueAt.getTime() - minutes * MINUTE_MS, now.getTime()));
}

/**
 * Checks an explicit reminder request and returns its time: it must lie in the future and not
 * after the due date.
 */
export function explicitReminderTime(
  request: { remindBeforeMinutes: number } | { remindAt: Date },
  dueAt: Date | null,
  now: Date,
): Date {
  if ('remindBeforeMinutes' in request) {
    if (!dueAt) {
      throw new ValidationError(
        'remindBeforeMinutes',
        'remindBeforeMinutes needs a due date; set dueAt first, or give remindAt instead',
      );
    }
    const at = new Date(dueAt.getTime() - request.remindBeforeMinutes * MINUTE_MS);
    if (at.getTime() <= now.getTime()) {
      throw new ValidationError(
        'remindBeforeMinutes',
        `remindBeforeMinutes puts the reminder at ${at.toISOString()}, which is in the past; use fewer minutes`,
      );
    }
    return at;
  }
  if (request.remindAt.getTime() <= now.getTime()) {
    throw new ValidationError('remindAt', 'remindAt must be in the future');
  }
  if (dueAt && request.remindAt.getTime() > dueAt.getTime()) {
    throw new ValidationError(
      'remindAt',
      `remindAt must not be after the due date (${dueAt.toISOString()})`,
    );
  }
  return request.remindAt;
}
