import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { inZone } from '../due-time.ts';
import { RecurrenceEditor, type RecurrenceValue } from '../recurrence/recurrence-editor.tsx';
import { useSession } from '../session.ts';
import {
  createTask,
  PRIORITIES,
  PRIORITY_NAMES,
  updateTask,
  type Label,
  type Priority,
  type Task,
  type TaskInput,
} from './task-api.ts';
import { browserZone, isoToZoned, timeZones, zonedToIso } from './zones.ts';
import './task-editor.css';

/** Reminder choices: minutes before the due date. */
const REMINDERS: [number, string][] = [
  [0, 'At the due time'],
  [1, '1 minute before'],
  [5, '5 minutes before'],
  [15, '15 minutes before'],
  [30, '30 minutes before'],
  [60, '1 hour before'],
  [120, '2 hours before'],
  [1440, '1 day before'],
  [2880, '2 days before'],
  [10080, '1 week before'],
];

const minutesText = (minutes: number) =>
  REMINDERS.find(([m]) => m === minutes)?.[1] ?? `${minutes} minutes before`;

/** The task's reminder in words, for the list. */
export function reminderText(task: Task): string | null {
  if (task.remindBeforeMinutes !== null && task.dueAt) {
    return `Reminder ${minutesText(task.remindBeforeMinutes).replace('At the', 'at the')}`;
  }
  return task.remindAt ? `Reminder ${inZone(task.remindAt, task.timeZone)}` : null;
}

interface Props {
  /** The task to edit; null for a new one. */
  task: Task | null;
  /** A new task's title, as typed into the quick-add field. */
  initialTitle?: string;
  categories: Label[];
  tags: Label[];
  /** Saved: what to announce. */
  onSaved(message: string): void;
  onCancel(): void;
}

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The full editor of one task (or a new one): every field the API offers, saved at once. */
export function TaskEditor({
  task,
  initialTitle = '',
  categories,
  tags,
  onSaved,
  onCancel,
}: Props) {
  const { api } = useSession();
  const prefix = task ? `task-${task.id}` : 'new-task';
  const zone = task?.timeZone ?? browserZone();
  const [title, setTitle] = useState(task?.title ?? initialTitle);
  const [description, setDescription] = useState(task?.description ?? '');
  const [priority, setPriority] = useState<Priority>(task?.priority ?? 'MEDIUM');
  const [timeZone, setTimeZone] = useState(zone);
  const [due, setDue] = useState(isoToZoned(task?.dueAt ?? null, zone));
  const [categoryId, setCategoryId] = useState(task?.category?.id ?? '');
  const [tagIds, setTagIds] = useState(task?.tags.map((t) => t.id) ?? []);
  const initialReminder = !task
    ? 'default'
    : task.remindBeforeMinutes !== null
      ? String(task.remindBeforeMinutes)
      : task.remindAt
        ? 'absolute'
        : 'none';
  const [reminder, setReminder] = useState(initialReminder);
  const [recurrence, setRecurrence] = useState<RecurrenceValue>({
    rule: task?.recurrenceRule ?? null,
    anchor: task?.recurrenceAnchor ?? 'DUE_DATE',
  });
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const titleField = useRef<HTMLInputElement>(null);

  useEffect(() => titleField.current?.focus(), []);

  const dueAt = useMemo(() => (due ? zonedToIso(due, timeZone) : null), [due, timeZone]);
  const zones = useMemo(() => timeZones(), []);
  const reminderOptions = useMemo(() => {
    const options: [string, string][] = [['none', 'No reminder']];
    if (!task) options.push(['default', 'Default (1 hour before)']);
    if (task?.remindAt && task.remindBeforeMinutes === null) {
      options.push(['absolute', `At ${inZone(task.remindAt, task.timeZone)} (as snoozed)`]);
    }
    for (const [minutes, text] of REMINDERS) options.push([String(minutes), text]);
    if (
      task?.remindBeforeMinutes != null &&
      !REMINDERS.some(([m]) => m === task.remindBeforeMinutes)
    ) {
      options.push([String(task.remindBeforeMinutes), minutesText(task.remindBeforeMinutes)]);
    }
    return options;
  }, [task]);

  const input = (): TaskInput => {
    const all: TaskInput = {
      title: title.trim(),
      description: description.trim() ? description : null,
      priority,
      dueAt,
      timeZone,
      categoryId: categoryId || null,
      tagIds,
      recurrenceRule: recurrence.rule,
      recurrenceAnchor: recurrence.anchor,
    };
    if (/^\d+$/.test(reminder)) all.remindBeforeMinutes = Number(reminder);
    else if (reminder === 'none' && task) all.remindBeforeMinutes = null;
    if (!task) {
      if (!all.description) delete all.description;
      if (!all.dueAt) delete all.dueAt;
      if (!all.categoryId) delete all.categoryId;
      if (!all.recurrenceRule) delete all.recurrenceRule;
      return all;
    }
    // Only what changed, so that a concurrent change to another field is kept.
    const changed: TaskInput = {};
    if (all.title !== task.title) changed.title = all.title;
    if (all.description !== (task.description || null)) changed.description = all.description;
    if (all.priority !== task.priority) changed.priority = all.priority;
    if (timeZone !== task.timeZone) changed.timeZone = timeZone;
    if (
      dueAt !== task.dueAt &&
      (dueAt === null || task.dueAt === null || Date.parse(dueAt) !== Date.parse(task.dueAt))
    ) {
      changed.dueAt = dueAt;
    }
    if (all.categoryId !== (task.category?.id ?? null)) changed.categoryId = all.categoryId;
    const before = task.tags.map((t) => t.id).sort();
    if (before.join() !== [...tagIds].sort().join()) changed.tagIds = tagIds;
    if (all.recurrenceRule !== task.recurrenceRule) changed.recurrenceRule = all.recurrenceRule;
    if (all.recurrenceAnchor !== task.recurrenceAnchor) {
      changed.recurrenceAnchor = all.recurrenceAnchor;
    }
    if (reminder !== initialReminder && 'remindBeforeMinutes' in all) {
      changed.remindBeforeMinutes = all.remindBeforeMinutes;
    }
    return changed;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!title.trim()) {
      setError('A task needs a title.');
      titleField.current?.focus();
      return;
    }
    if (due && !dueAt) {
      setError('The due date is not a date and time.');
      return;
    }
    setSaving(true);
    setError('');
    try {
      if (task) {
        const changes = input();
        if (Object.keys(changes).length) await updateTask(api, task.id, changes);
        onSaved(`Saved ${title.trim()}`);
      } else {
        await createTask(api, input(), reminder === 'none' && !!dueAt);
        onSaved(`Added ${title.trim()}`);
      }
    } catch (problem) {
      setError(failure(problem));
    } finally {
      setSaving(false);
    }
  };

  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  const heading = task ? `Edit ${task.title}` : 'New task';
  return (
    <form
      class="task-editor"
      aria-labelledby={`${prefix}-heading`}
      onSubmit={(event) => void save(event)}
      onKeyDown={keys}
      noValidate
    >
      <h3 id={`${prefix}-heading`}>{heading}</h3>
      <div class="grid">
        <label class="wide">
          Title
          <input
            ref={titleField}
            value={title}
            maxLength={200}
            required
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </label>
        <label class="wide">
          Description
          <textarea
            value={description}
            rows={3}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <label>
          Priority
          <select value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
            {PRIORITIES.map((p) => (
              <option value={p}>{PRIORITY_NAMES[p]}</option>
            ))}
          </select>
        </label>
        <label>
          Due ({timeZone})
          <input
            type="datetime-local"
            value={due}
            aria-describedby={`${prefix}-due-shown`}
            onInput={(e) => setDue(e.currentTarget.value)}
          />
        </label>
        <label>
          Time zone
          <select value={timeZone} onChange={(e) => setTimeZone(e.currentTarget.value)}>
            {zones.map((z) => (
              <option value={z}>{z.replaceAll('_', ' ')}</option>
            ))}
          </select>
        </label>
        <p class="muted due-shown" id={`${prefix}-due-shown`}>
          {dueAt ? `Due ${inZone(dueAt, timeZone)} (${timeZone})` : 'No due date'}
        </p>
        <label>
          Reminder
          <select value={reminder} onChange={(e) => setReminder(e.currentTarget.value)}>
            {reminderOptions.map(([value, text]) => (
              <option value={value}>{text}</option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
            <option value="">None</option>
            {categories.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        <fieldset class="wide tags">
          <legend>Tags</legend>
          {tags.length ? (
            tags.map((tag) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={tagIds.includes(tag.id)}
                  onChange={(e) =>
                    setTagIds((ids) =>
                      e.currentTarget.checked
                        ? [...ids, tag.id]
                        : ids.filter((id) => id !== tag.id),
                    )
                  }
                />
                <span class="swatch" style={{ background: tag.color }} aria-hidden="true" />
                {tag.name}
              </label>
            ))
          ) : (
            <p class="muted">
              No tags yet: add them on the <a href="#/labels">Labels</a> page.
            </p>
          )}
        </fieldset>
        <div class="wide">
          <RecurrenceEditor
            value={recurrence}
            onChange={setRecurrence}
            dueAt={dueAt}
            timeZone={timeZone}
            idPrefix={prefix}
          />
        </div>
      </div>
      <p class="error" role="alert">
        {error}
      </p>
      <div class="row">
        <button type="submit" disabled={saving}>
          {task ? 'Save' : 'Add task'}
        </button>
        <button type="button" class="quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
