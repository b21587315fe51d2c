import type { MailMessage } from '../../../lib/mailer.ts';
import type { Event } from '../../../model/events/contracts.ts';

/** The host part of every reminder's Message-ID: `<deliveryId@todo-events>`. */
export const MESSAGE_ID_HOST = 'todo-events';

/** The Message-ID of a delivery's mail: the same on every try, so a resend is recognisable. */
export const messageIdOf = (deliveryId: string): string => `<${deliveryId}@${MESSAGE_ID_HOST}>`;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * `iso` as the task's owner reads it: in the task's time zone, the zone named, such as
 * "Tue, 1 Dec 2026, 09:00 (Europe/Berlin)". A zone this runtime does not know falls back to UTC
 * (and says so), rather than losing the reminder.
 */
export function formatDueTime(iso: string, timeZone: string): string {
  const instant = new Date(iso);
  try {
    return `${formatIn(timeZone).format(instant)} (${timeZone})`;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return `${formatIn('UTC').format(instant)} (UTC)`;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe inside HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

// Control characters would break a header line; the subject shows the title on one line.
const oneLine = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim();

/** Where the dashboard opens a task: `<publicUrl>/#task=<taskId>`. */
export const taskLink = (publicUrl: string, taskId: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/#task=${encodeURIComponent(taskId)}`;

/** What a reminder mail is built from besides the event. */
export interface ReminderMailTarget {
  to: string;
  /** The delivery's id, stable across tries: it becomes the Message-ID. */
  deliveryId: string;
  /** The dashboard's URL. */
  publicUrl: string;
}

/**
 * The mail of a `reminder.due` event: subject `Reminder: <title>`, the due time in the task's
 * time zone (or "no due date"), the description, and a link that opens the task; plain text and
 * HTML, with the task's own text escaped in the HTML.
 */
export function reminderMessage(
  event: Event<'reminder.due'>,
  target: ReminderMailTarget,
): MailMessage {
  const { task, dueAt } = event.payload;
  const due = dueAt === null ? 'no due date' : formatDueTime(dueAt, task.timeZone);
  const link = taskLink(target.publicUrl, event.taskId);
  const description = task.description?.trim() || null;
  const text = [
    `Reminder: ${task.title}`,
    '',
    `Due: ${due}`,
    ...(description ? ['', description] : []),
    '',
    `Open the task: ${link}`,
    '',
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html><body>',
    `<h1 style="font-size:1.25em">${escapeHtml(task.title)}</h1>`,
    `<p>Due: ${escapeHtml(due)}</p>`,
    ...(description ? [`<p style="white-space:pre-wrap">${escapeHtml(description)}</p>`] : []),
    `<p><a href="${escapeHtml(link)}">Open the task</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    to: target.to,
    subject: `Reminder: ${oneLine(task.title)}`,
    text,
    html,
    messageId: messageIdOf(target.deliveryId),
  };
}
