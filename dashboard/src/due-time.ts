import type { PushReminderMessage } from './push-message.ts';

const FIELDS: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** A moment in `timeZone`, with the zone shown (e.g. "Tue, Dec 1, 9:00 AM GMT+1"). */
export function inZone(iso: string, timeZone: string): string {
  const moment = new Date(iso);
  try {
    return new Intl.DateTimeFormat(undefined, { ...FIELDS, timeZone }).format(moment);
  } catch {
    // A zone this browser does not know: UTC says the same moment unambiguously.
    return new Intl.DateTimeFormat(undefined, { ...FIELDS, timeZone: 'UTC' }).format(moment);
  }
}

/**
 * What a reminder says (a notification's body, an in-page notice): when the task is due, in the
 * task's time zone; when it has no due date, when the reminder was set for.
 */
export function dueText(
  message: Pick<PushReminderMessage, 'dueAt' | 'remindAt' | 'timeZone'>,
): string {
  return message.dueAt
    ? `Due ${inZone(message.dueAt, message.timeZone)}`
    : `Reminder for ${inZone(message.remindAt, message.timeZone)}`;
}
