import type { Event } from '../../../model/events/contracts.ts';

/**
 * What a push message carries to the dashboard's service worker (`dashboard/src/sw.ts`), as JSON.
 * Small on purpose: aes128gcm leaves about 3,990 bytes for it.
 */
export interface PushReminderMessage {
  type: 'reminder';
  deliveryId: string;
  taskId: string;
  /** The task's title, cut to {@link TITLE_MAX_CHARACTERS}. */
  title: string;
  dueAt: string | null;
  /** The task's IANA time zone, to show the due time in. */
  timeZone: string;
  remindAt: string;
  /** Opens the task on the dashboard. */
  url: string;
}

/** Titles longer than this are cut (with an ellipsis) to keep the message small. */
export const TITLE_MAX_CHARACTERS = 120;

/** The push message of a `reminder.due` event; `publicUrl` is the dashboard's URL. */
export function pushReminderMessage(
  deliveryId: string,
  event: Event<'reminder.due'>,
  publicUrl: string,
): PushReminderMessage {
  const { task, remindAt, dueAt } = event.payload;
  return {
    type: 'reminder',
    deliveryId,
    taskId: event.taskId,
    title: shorten(task.title, TITLE_MAX_CHARACTERS),
    dueAt: dueAt ?? task.dueAt,
    timeZone: task.timeZone,
    remindAt,
    url: `${publicUrl.replace(/\/+$/, '')}/#task=${event.taskId}`,
  };
}

/** `text` cut to `max` characters (code points, so no emoji is split), ending in an ellipsis. */
function shorten(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
