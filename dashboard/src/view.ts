import type { ReminderView, TaskView } from './operations.ts';

/** What a task row's buttons do. */
export interface TaskActions {
  complete(id: string): void;
  remove(id: string): void;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/** Appends text that the API HTML-escaped, keeping only its <mark> highlights. */
function appendHighlight(parent: HTMLElement, highlight: string) {
  const decoder = document.createElement('textarea');
  let marked = false;
  for (const part of highlight.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>' || part === '</mark>') {
      marked = part === '<mark>';
      continue;
    }
    decoder.innerHTML = part;
    const text = document.createTextNode(decoder.value);
    if (marked) parent.appendChild(document.createElement('mark')).appendChild(text);
    else parent.appendChild(text);
  }
}

/** Renders the task list; `highlights` (from a search) replace titles. */
export function renderTasks(
  tasks: TaskView[],
  actions: TaskActions,
  highlights: Map<string, string> = new Map(),
) {
  const list = byId<HTMLUListElement>('tasks');
  list.replaceChildren(
    ...tasks.map((task) => {
      const item = document.createElement('li');
      item.dataset.taskId = task.id;
      item.dataset.testid = 'task';
      if (task.completed) item.classList.add('completed');
      const title = item.appendChild(document.createElement('span'));
      title.className = 'title';
      const highlight = highlights.get(task.id);
      if (highlight) appendHighlight(title, highlight);
      else title.textContent = task.title;
      const meta = item.appendChild(document.createElement('span'));
      meta.className = 'meta';
      meta.textContent = [
        task.dueAt && `due ${when(task.dueAt)}`,
        task.remindAt && `reminds ${when(task.remindAt)}`,
        task.recurrenceRule && `repeats ${task.recurrenceRule}`,
      ]
        .filter(Boolean)
        .join(' · ');
      if (!task.completed) {
        const complete = item.appendChild(document.createElement('button'));
        complete.textContent = 'Complete';
        complete.addEventListener('click', () => actions.complete(task.id));
      }
      const remove = item.appendChild(document.createElement('button'));
      remove.textContent = 'Delete';
      remove.addEventListener('click', () => actions.remove(task.id));
      return item;
    }),
  );
}

/** Shows a reminder that just arrived, newest first. */
export function showReminder(reminder: ReminderView) {
  const item = document.createElement('li');
  item.dataset.testid = 'reminder';
  item.dataset.reminderId = reminder.id;
  item.textContent = `Reminder: ${reminder.task.title} — ${when(reminder.remindAt)}`;
  if (reminder.late) {
    const late = item.appendChild(document.createElement('span'));
    late.className = 'late';
    late.textContent = ' (late)';
  }
  byId('reminders').prepend(item);
}

/** Writes a message into an alert element (empty to clear it). */
export function say(elementId: 'sign-in-error' | 'form-error', message: string) {
  byId(elementId).textContent = message;
}

/** Shows the sign-in form or the app, and the connection status. */
export function showSignedIn(signedIn: boolean, status: string) {
  byId('sign-in').hidden = signedIn;
  byId('app').hidden = !signedIn;
  byId('sign-out').hidden = !signedIn;
  byId('status').textContent = status;
}

/** Sets the connection status text. */
export function setStatus(status: string) {
  byId('status').textContent = status;
}
