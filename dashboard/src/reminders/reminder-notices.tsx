import { useEffect, useRef, useState } from 'preact/hooks';
import { unwrap } from '../api/graphql.ts';
import type { LiveReminder } from '../api/live.ts';
import { dueText } from '../due-time.ts';
import { failure } from '../failure.ts';
import { hrefOf } from '../route.ts';
import { useSession } from '../session.ts';
import './reminder-notices.css';

const ERROR = '... on Error { message }';
const SNOOZE = `mutation($taskId: ID!, $minutes: Int!) {
  snoozeReminder(taskId: $taskId, minutes: $minutes) {
    __typename ... on SnoozeReminderSuccess { task { id remindAt timeZone } } ${ERROR} } }`;
const DISMISS = `mutation($taskId: ID!) {
  dismissReminder(taskId: $taskId) { __typename ${ERROR} } }`;

type Result = { __typename: string; message?: string };

interface Notice {
  reminder: LiveReminder;
  busy: boolean;
  error: string;
}

/**
 * Reminders as in-page notices while the page is open, each once per reminder id: the task, when
 * it is due in its own time zone, and Snooze 10 min / Snooze 1 h / Dismiss. Outside the page,
 * reminders reach the user through their channels (Web Push, webhooks, email; see Settings), so
 * no system notification is shown from here.
 */
export function ReminderNotices() {
  const { live, api } = useSession();
  const [notices, setNotices] = useState<Notice[]>([]);
  const [said, setSaid] = useState('');
  const seen = useRef(new Set<string>());
  const region = useRef<HTMLElement>(null);

  useEffect(
    () =>
      live.onReminder((reminder) => {
        if (seen.current.has(reminder.id)) return;
        seen.current.add(reminder.id);
        setNotices((current) => [...current, { reminder, busy: false, error: '' }]);
      }),
    [live],
  );

  const update = (id: string, change: Partial<Notice>) =>
    setNotices((current) =>
      current.map((notice) => (notice.reminder.id === id ? { ...notice, ...change } : notice)),
    );

  /** Removes a notice after it was acted on; focus goes to the next one or the region. */
  const close = (id: string, message: string) => {
    setNotices((current) => current.filter((notice) => notice.reminder.id !== id));
    setSaid(message);
    requestAnimationFrame(() => {
      const next = region.current?.querySelector<HTMLButtonElement>(
        '[data-testid=reminder] button',
      );
      (next ?? region.current)?.focus();
    });
  };

  const act = async (notice: Notice, action: 'dismiss' | number) => {
    const { id, task } = notice.reminder;
    update(id, { busy: true, error: '' });
    try {
      if (action === 'dismiss') {
        const data = await api<{ dismissReminder: Result }>(DISMISS, { taskId: task.id });
        unwrap(data.dismissReminder);
        close(id, `Dismissed the reminder for “${task.title}”.`);
      } else {
        const data = await api<{
          snoozeReminder: Result & { task?: { remindAt: string; timeZone: string } };
        }>(SNOOZE, { taskId: task.id, minutes: action });
        const { task: snoozed } = unwrap(data.snoozeReminder);
        const until = snoozed ? ` until ${timeOf(snoozed.remindAt, snoozed.timeZone)}` : '';
        close(id, `Snoozed “${task.title}”${until}.`);
      }
    } catch (error) {
      update(id, { busy: false, error: failure(error) });
    }
  };

  return (
    <section
      class="reminders"
      aria-label="Reminders"
      ref={region}
      tabIndex={-1}
      hidden={notices.length === 0 && !said}
    >
      <div role="status">
        {notices.map((notice) => (
          <ReminderNotice
            key={notice.reminder.id}
            notice={notice}
            onSnooze={(minutes) => void act(notice, minutes)}
            onDismiss={() => void act(notice, 'dismiss')}
          />
        ))}
        {said && <p class="muted">{said}</p>}
      </div>
    </section>
  );
}

function ReminderNotice({
  notice,
  onSnooze,
  onDismiss,
}: {
  notice: Notice;
  onSnooze(minutes: number): void;
  onDismiss(): void;
}) {
  const { reminder, busy, error } = notice;
  const { task } = reminder;
  const titleId = `reminder-${reminder.id}`;
  return (
    <article class="reminder" data-testid="reminder" aria-labelledby={titleId}>
      <p class="reminder-text">
        <span class="reminder-kind">{reminder.late ? 'Late reminder' : 'Reminder'}:</span>{' '}
        <a id={titleId} href={hrefOf('tasks', { task: task.id })}>
          {task.title}
        </a>{' '}
        <span class="muted">
          {dueText({ dueAt: task.dueAt, remindAt: reminder.remindAt, timeZone: task.timeZone })}
        </span>
      </p>
      <div class="reminder-actions" role="group" aria-label={`Reminder for ${task.title}`}>
        <button type="button" class="quiet" disabled={busy} onClick={() => onSnooze(10)}>
          Snooze 10 min
        </button>
        <button type="button" class="quiet" disabled={busy} onClick={() => onSnooze(60)}>
          Snooze 1 h
        </button>
        <button type="button" disabled={busy} onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

/** A time of day in a zone, e.g. "10:15 AM GMT+1". */
function timeOf(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
  }
}
