import './labels-page.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { hrefOf } from '../route.ts';
import { useSession } from '../session.ts';
import { ColourPicker, PRESET_COLOURS } from './colour-picker.tsx';
import {
  CATEGORY,
  LABELS,
  LabelError,
  mutate,
  TAG,
  taskCountText,
  type Label,
  type LabelKind,
} from './label-api.ts';

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

type FieldErrors = { name: string; color: string; form: string };
const NO_ERRORS: FieldErrors = { name: '', color: '', form: '' };

/** A failed mutation's message at the field it concerns. */
const errorsOf = (error: unknown): FieldErrors =>
  error instanceof LabelError
    ? { ...NO_ERRORS, [error.at]: error.message }
    : { ...NO_ERRORS, form: failure(error) };

/**
 * The labels page: the user's categories and tags with their colours and task counts; create,
 * rename, recolour and delete them; each links to the task list filtered by it. The counts follow
 * the user's task events, so a task created in another tab counts here too.
 */
export function LabelsPage() {
  const { api, live } = useSession();
  const [labels, setLabels] = useState<{ categories: Label[]; tags: Label[] } | null>(null);
  const [loadError, setLoadError] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const loads = useRef(0);

  const load = async () => {
    const mine = ++loads.current;
    try {
      const data = await api<{ categories: Label[]; tags: Label[] }>(LABELS);
      if (mine !== loads.current) return;
      setLabels(data);
      setLoadError('');
    } catch (error) {
      if (mine === loads.current) setLoadError(`Could not load the labels: ${failure(error)}`);
    }
  };

  useEffect(() => {
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 250);
    };
    const stop = live.onTaskEvent(soon);
    const visible = () => document.visibilityState === 'visible' && soon();
    document.addEventListener('visibilitychange', visible);
    return () => {
      clearTimeout(timer);
      stop();
      document.removeEventListener('visibilitychange', visible);
    };
  }, []);

  const changed = async (message: string) => {
    setAnnouncement(message);
    await load();
  };

  return (
    <section class="labels" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <p class="muted announcement" role="status">
        {announcement}
      </p>
      <p class="error" role="alert">
        {loadError}
      </p>
      {labels === null ? (
        !loadError && <p class="muted">Loading…</p>
      ) : (
        <div class="label-sections">
          <LabelSection kind={CATEGORY} items={labels.categories} onChanged={changed} />
          <LabelSection kind={TAG} items={labels.tags} onChanged={changed} />
        </div>
      )}
    </section>
  );
}

function LabelSection(props: {
  kind: LabelKind;
  items: Label[];
  onChanged(message: string): Promise<void>;
}) {
  const { kind, items, onChanged } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = `${kind.noun}-list-title`;
  return (
    <section aria-labelledby={titleId} class="label-section">
      <h3 id={titleId} ref={heading} tabIndex={-1}>
        {kind.title} <span class="muted">({items.length})</span>
      </h3>
      <CreateForm kind={kind} onCreated={onChanged} />
      {items.length === 0 ? (
        <p class="muted">No {kind.title.toLowerCase()} yet.</p>
      ) : (
        <ul class="plain label-list" aria-labelledby={titleId}>
          {items.map((label) => (
            <LabelRow
              key={label.id}
              kind={kind}
              label={label}
              onChanged={onChanged}
              onDeleted={async (message) => {
                heading.current?.focus();
                await onChanged(message);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateForm(props: { kind: LabelKind; onCreated(message: string): Promise<void> }) {
  const { kind, onCreated } = props;
  const { api } = useSession();
  const form = useLabelForm('', PRESET_COLOURS[0]!.color);
  const { name, setName, color, errors, setErrors, busy, setBusy, nameInput } = form;
  const id = `new-${kind.noun}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await mutate(api, kind, 'create', { input: { name, color } });
      setName('');
      setErrors(NO_ERRORS);
      await onCreated(`Added ${kind.noun} ${created.name}.`);
    } catch (error) {
      setErrors(errorsOf(error));
    } finally {
      setBusy(false);
      nameInput.current?.focus();
    }
  };

  return (
    <form class="label-form" aria-label={`New ${kind.noun}`} onSubmit={submit} noValidate>
      <LabelFields id={id} kind={kind} form={form} />
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Add {kind.noun}
        </button>
        <span class="error" role="alert">
          {errors.form}
        </span>
      </div>
    </form>
  );
}

/** The state of a label form: its name and colour as typed, their errors, and whether it is sending. */
function useLabelForm(initialName: string, initialColor: string) {
  const [name, setName] = useState(initialName);
  const [color, setColor] = useState(initialColor);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  return { name, setName, color, setColor, errors, setErrors, busy, setBusy, nameInput };
}
type LabelForm = ReturnType<typeof useLabelForm>;

/** A label's name and colour fields, alike in the new and the edit form. */
function LabelFields(props: { id: string; kind: LabelKind; form: LabelForm }) {
  const { id, kind, form } = props;
  return (
    <>
      <NameField
        id={`${id}-name`}
        inputRef={form.nameInput}
        value={form.name}
        max={kind.maxName}
        error={form.errors.name}
        onChange={form.setName}
      />
      <ColourPicker
        id={`${id}-color`}
        value={form.color}
        onChange={form.setColor}
        error={form.errors.color}
      />
    </>
  );
}

function NameField(props: {
  id: string;
  value: string;
  max: number;
  error: string;
  onChange(name: string): void;
  inputRef?: { current: HTMLInputElement | null };
}) {
  const { id, value, max, error, onChange, inputRef } = props;
  return (
    <div class="name-field">
      <label for={id}>Name</label>
      <input
        id={id}
        ref={inputRef}
        value={value}
        maxLength={max}
        autoComplete="off"
        aria-describedby={`${id}-error`}
        aria-invalid={error ? true : undefined}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      <span id={`${id}-error`} class="error" role="alert">
        {error}
      </span>
    </div>
  );
}

type Mode = 'view' | 'edit' | 'confirm-delete';

function LabelRow(props: {
  kind: LabelKind;
  label: Label;
  onChanged(message: string): Promise<void>;
  onDeleted(message: string): Promise<void>;
}) {
  const { kind, label, onChanged, onDeleted } = props;
  const { api } = useSession();
  const [mode, setMode] = useState<Mode>('view');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const cancelDelete = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<'edit' | 'delete' | null>(null);
  const id = `${kind.noun}-${label.id}`;

  useEffect(() => {
    if (mode === 'confirm-delete') cancelDelete.current?.focus();
    if (mode === 'view' && returnFocus.current) {
      (returnFocus.current === 'edit' ? editButton : deleteButton).current?.focus();
      returnFocus.current = null;
    }
  }, [mode]);

  const back = (from: 'edit' | 'delete') => {
    returnFocus.current = from;
    setError('');
    setMode('view');
  };

  const remove = async () => {
    setBusy(true);
    try {
      await mutate(api, kind, 'delete', { id: label.id });
      await onDeleted(`Deleted ${kind.noun} ${label.name}. ${kind.deleteNote(label.taskCount)}`);
    } catch (problem) {
      setError(failure(problem));
      setBusy(false);
    }
  };

  if (mode === 'edit') {
    return (
      <li class="label-row editing">
        <EditForm
          kind={kind}
          label={label}
          id={id}
          onDone={async (message) => {
            // Reload first: a renamed label may move, and focus goes back to it once it has.
            if (message) await onChanged(message);
            back('edit');
          }}
        />
      </li>
    );
  }

  return (
    <li class="label-row">
      <span class="swatch" style={{ background: label.color }} aria-hidden="true" />
      <a class="label-name" href={hrefOf('tasks', { [kind.param]: label.id })}>
        <span class="visually-hidden">{kind.linkPrefix}</span>
        {label.name}
      </a>
      <span class="count muted">{taskCountText(label.taskCount)}</span>
      {mode === 'view' ? (
        <span class="actions">
          <button
            type="button"
            class="quiet"
            ref={editButton}
            aria-label={`Edit ${label.name}`}
            onClick={() => setMode('edit')}
          >
            Edit
          </button>
          <button
            type="button"
            class="danger"
            ref={deleteButton}
            aria-label={`Delete ${label.name}`}
            onClick={() => setMode('confirm-delete')}
          >
            Delete
          </button>
        </span>
      ) : (
        <div class="confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>
            Delete the {kind.noun} “{label.name}”? {kind.deleteNote(label.taskCount)}
          </p>
          <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
            Delete {kind.noun}
          </button>
          <button
            type="button"
            class="quiet"
            ref={cancelDelete}
            onClick={() => back('delete')}
            onKeyDown={(event) => event.key === 'Escape' && back('delete')}
          >
            Keep it
          </button>
        </div>
      )}
      <p class="error row-error" role="alert">
        {error}
      </p>
    </li>
  );
}

function EditForm(props: {
  kind: LabelKind;
  label: Label;
  id: string;
  /** Called with what was saved, or '' when cancelled. */
  onDone(message: string): Promise<void>;
}) {
  const { kind, label, id, onDone } = props;
  const { api } = useSession();
  const form = useLabelForm(label.name, label.color.toLowerCase());
  const { name, color, errors, setErrors, busy, setBusy, nameInput } = form;

  useEffect(() => {
    nameInput.current?.focus();
    nameInput.current?.select();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const input: { name?: string; color?: string } = {};
    if (name !== label.name) input.name = name;
    if (color !== label.color.toLowerCase()) input.color = color;
    if (Object.keys(input).length === 0) return void onDone('');
    setBusy(true);
    try {
      const saved = await mutate(api, kind, 'update', { id: label.id, input });
      await onDone(`Saved ${kind.noun} ${saved.name}.`);
    } catch (error) {
      setErrors(errorsOf(error));
      setBusy(false);
    }
  };

  return (
    <form
      class="label-form"
      aria-label={`Edit ${kind.noun} ${label.name}`}
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && void onDone('')}
      noValidate
    >
      <LabelFields id={id} kind={kind} form={form} />
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <button type="button" class="quiet" onClick={() => void onDone('')}>
          Cancel
        </button>
        <span class="error" role="alert">
          {errors.form}
        </span>
      </div>
    </form>
  );
}
