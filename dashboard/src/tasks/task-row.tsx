import { inZone } from '../due-time.ts';
import { reminderText } from './task-editor.tsx';
import { PRIORITY_NAMES, type Item } from './task-api.ts';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot);/g, (e) => ENTITIES[e] ?? e);

/** A search snippet (HTML-escaped, matches in <mark>) as text and <mark>s, never as HTML. */
export function Highlight({ html }: { html: string }) {
  const parts = html.split(/<\/?mark>/);
  return <>{parts.map((part, i) => (i % 2 ? <mark>{unescape(part)}</mark> : unescape(part)))}</>;
}

interface Props {
  item: Item;
  selected: boolean;
  busy: boolean;
  error: string;
  onSelect(): void;
  onToggle(): void;
  onEdit(): void;
  onSkip(): void;
  onDelete(): void;
}

/** One task in the list: done box, title, what is known about it, and its actions. */
export function TaskRow({ item, selected, busy, error, ...on }: Props) {
  const { task, highlight } = item;
  const overdue = !task.completed && !!task.dueAt && Date.parse(task.dueAt) < Date.now();
  const titleId = `title-${task.id}`;
  const reminder = reminderText(task);
  return (
    <li
      id={`row-${task.id}`}
      data-testid="task"
      data-task-id={task.id}
      class={`task${task.completed ? ' done' : ''}${selected ? ' selected' : ''}`}
      tabIndex={-1}
      aria-labelledby={titleId}
      aria-busy={busy || undefined}
      onFocusIn={on.onSelect}
    >
      <input
        type="checkbox"
        class="done-box"
        checked={task.completed}
        aria-label={`Done: ${task.title}`}
        onChange={on.onToggle}
      />
      <div class="body">
        <span class="title" id={titleId}>
          {task.title}
        </span>
        {task.completed && <span class="visually-hidden"> (completed)</span>}
        {highlight ? (
          <p class="snippet">
            <span class="visually-hidden">Matches: </span>
            <Highlight html={highlight} />
          </p>
        ) : (
          task.description && <p class="snippet muted">{task.description}</p>
        )}
        <p class="meta">
          <span class={`priority p-${task.priority.toLowerCase()}`}>
            {PRIORITY_NAMES[task.priority]}
            <span class="visually-hidden"> priority</span>
          </span>
          {task.dueAt && (
            <span class={overdue ? 'overdue' : ''}>
              {overdue ? 'Overdue: due ' : 'Due '}
              {inZone(task.dueAt, task.timeZone)} ({task.timeZone})
            </span>
          )}
          {task.category && (
            <span>
              <span class="swatch" style={{ background: task.category.color }} aria-hidden="true" />
              <span class="visually-hidden">Category </span>
              {task.category.name}
            </span>
          )}
          {task.tags.length > 0 && (
            <span>
              <span class="visually-hidden">Tags </span>
              {task.tags.map((tag) => (
                <span class="tag">
                  <span class="swatch" style={{ background: tag.color }} aria-hidden="true" />
                  {tag.name}
                </span>
              ))}
            </span>
          )}
          {task.recurrenceRule && (
            <span>
              Repeats {task.recurrenceRule}
              {task.recurrenceAnchor === 'COMPLETION' ? ' after completion' : ''}
            </span>
          )}
          {reminder && !task.completed && <span>{reminder}</span>}
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div class="actions">
        <button type="button" class="quiet" onClick={on.onEdit}>
          Edit<span class="visually-hidden"> {task.title}</span>
        </button>
        {task.recurrenceRule && !task.completed && task.dueAt && (
          <button type="button" class="quiet" onClick={on.onSkip}>
            Skip<span class="visually-hidden"> this occurrence of {task.title}</span>
          </button>
        )}
        <button type="button" class="danger" onClick={on.onDelete}>
          Delete<span class="visually-hidden"> {task.title}</span>
        </button>
      </div>
    </li>
  );
}
