import './recurrence-editor.css';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { inZone } from '../due-time.ts';
import { useSession } from '../session.ts';
import {
  dueParts,
  intervalUnit,
  MAX_INTERVAL,
  presetLabel,
  presetOf,
  PRESETS,
  ruleOf,
  WEEKDAY_NAMES,
  WEEKDAYS,
  type Preset,
  type PresetState,
  type Weekday,
} from './rrule-presets.ts';

/** What the next instance of a recurring task is computed from (the API's RecurrenceAnchor). */
export type RecurrenceAnchor = 'DUE_DATE' | 'COMPLETION';

/** A task's recurrence: its RRULE (null: does not repeat) and what it repeats from. */
export interface RecurrenceValue {
  rule: string | null;
  anchor: RecurrenceAnchor;
}

const PREVIEW = `query($rule: String!, $startAt: DateTime!, $timeZone: String!) {
  recurrencePreview(rule: $rule, startAt: $startAt, timeZone: $timeZone, count: 3) }`;

/** How long the rule must stay unchanged before the preview is asked for. */
const PREVIEW_DELAY_MS = 350;

type Preview =
  { state: 'idle' } | { state: 'done'; dates: string[] } | { state: 'error'; message: string };

/**
 * Edits a task's recurrence: a preset (daily, every weekday, weekly on chosen days, monthly on a
 * date or on the nth weekday, yearly) or a custom RRULE, an interval, and the anchor; shows the
 * next three occurrences from `recurrencePreview` in the task's time zone as the value changes.
 * The presets that depend on the due date (monthly, yearly) follow `dueAt`.
 */
export function RecurrenceEditor(props: {
  value: RecurrenceValue;
  onChange(value: RecurrenceValue): void;
  dueAt: string | null;
  timeZone: string;
  idPrefix?: string;
}) {
  const { value, onChange, dueAt, timeZone } = props;
  const { api } = useSession();
  const generated = useId();
  const id = (name: string) => `${props.idPrefix ?? `recurrence-${generated}`}-${name}`;

  // Without a due date the presets (and the preview) count from now.
  const now = useMemo(() => new Date(), [dueAt]);
  const due = useMemo(
    () => dueParts(dueAt ? new Date(dueAt) : now, timeZone),
    [dueAt, now, timeZone],
  );
  const [state, setState] = useState<PresetState>(() => presetOf(value.rule, due));
  // The state as last set, for the effect below: a choice made after a render and before that
  // render's effects ran is newer than the state the effect closed over.
  const latest = useRef(state);
  latest.current = state;
  const set = (next: PresetState) => {
    latest.current = next;
    setState(next);
  };
  const [intervalText, setIntervalText] = useState(String(state.interval));
  const [intervalError, setIntervalError] = useState('');
  const emitted = useRef(value.rule);
  const seenDue = useRef(due);

  const emit = (next: PresetState, anchor = value.anchor) => {
    set(next);
    const rule = ruleOf(next);
    emitted.current = rule;
    onChange({ rule, anchor });
  };

  useEffect(() => {
    if (value.rule !== emitted.current) {
      // Changed from outside (another task opened): start again from the rule.
      emitted.current = value.rule;
      seenDue.current = due;
      const next = presetOf(value.rule, due);
      set(next);
      setIntervalText(String(next.interval));
      setIntervalError('');
      return;
    }
    const before = seenDue.current;
    if (
      before.monthDay === due.monthDay &&
      before.nth === due.nth &&
      before.weekday === due.weekday
    )
      return;
    seenDue.current = due;
    // The due date moved: the presets derived from it follow, and so does a weekly day that
    // was only the old due date's (days the user chose stay).
    const current = latest.current;
    const untouched =
      current.preset !== 'weekly' ||
      (current.days.length === 1 && current.days[0] === before.weekday);
    const next = {
      ...current,
      ...fresh(due),
      days: untouched ? [due.weekday] : current.days,
    };
    if (ruleOf(next) !== ruleOf(current)) emit(next);
    else set(next);
  }, [value.rule, due]);

  const rule = ruleOf(state);
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  useEffect(() => {
    if (!rule) {
      setPreview({ state: 'idle' });
      return;
    }
    // The last answer stays until the next one: the status line does not flicker while typing.
    let current = true;
    const timer = setTimeout(() => {
      const startAt = dueAt ?? now.toISOString();
      api<{ recurrencePreview: string[] }>(PREVIEW, { rule, startAt, timeZone })
        .then((data) => current && setPreview({ state: 'done', dates: data.recurrencePreview }))
        .catch(
          (error: unknown) =>
            current &&
            setPreview({
              state: 'error',
              message: error instanceof Error ? error.message : String(error),
            }),
        );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [rule, dueAt, timeZone]);

  const choose = (preset: Preset) => {
    const next = { ...state, preset };
    if (preset !== state.preset && preset.startsWith('monthly')) Object.assign(next, fresh(due));
    if (preset === 'custom' && !next.custom.trim()) next.custom = ruleOf(state) ?? '';
    if (preset === 'weekly' && next.days.length === 0) next.days = [due.weekday];
    emit(next);
  };

  const changeInterval = (text: string) => {
    setIntervalText(text);
    const interval = Number(text);
    if (!/^\d+$/.test(text.trim()) || interval < 1 || interval > MAX_INTERVAL) {
      setIntervalError(`Enter a whole number from 1 to ${MAX_INTERVAL}.`);
      return;
    }
    setIntervalError('');
    emit({ ...state, interval });
  };

  const toggleDay = (day: Weekday, on: boolean) =>
    emit({
      ...state,
      days: on ? [...state.days, day] : state.days.filter((chosen) => chosen !== day),
    });

  const unit = intervalUnit(state.preset, state.interval);
  const previewError = preview.state === 'error' ? preview.message : '';

  return (
    <fieldset class="recurrence">
      <legend>Repeat</legend>
      <div class="row">
        <label for={id('preset')}>Repeats</label>
        <select
          id={id('preset')}
          value={state.preset}
          onChange={(event) => choose(event.currentTarget.value as Preset)}
        >
          {PRESETS.map((preset) => (
            <option value={preset}>
              {presetLabel(
                preset,
                preset === state.preset ? state : { ...state, ...fresh(due) },
                due,
              )}
            </option>
          ))}
        </select>
      </div>

      {unit && (
        <div class="row interval">
          <label for={id('interval')}>Every</label>
          <input
            id={id('interval')}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_INTERVAL}
            value={intervalText}
            aria-describedby={`${id('unit')} ${id('interval-error')}`}
            aria-invalid={intervalError ? true : undefined}
            onInput={(event) => changeInterval(event.currentTarget.value)}
          />
          <span id={id('unit')}>{unit}</span>
          <span id={id('interval-error')} class="error" role="alert">
            {intervalError}
          </span>
        </div>
      )}

      {state.preset === 'weekly' && (
        <fieldset class="days">
          <legend>On</legend>
          {WEEKDAYS.map((day) => (
            <label>
              <input
                type="checkbox"
                aria-label={WEEKDAY_NAMES[day]}
                checked={state.days.includes(day)}
                onChange={(event) => toggleDay(day, event.currentTarget.checked)}
              />
              <span aria-hidden="true">{WEEKDAY_NAMES[day].slice(0, 3)}</span>
            </label>
          ))}
          {state.days.length === 0 && (
            <p class="muted">
              No day chosen: it repeats on the due date’s weekday ({WEEKDAY_NAMES[due.weekday]}).
            </p>
          )}
        </fieldset>
      )}

      {state.preset === 'custom' && (
        <div class="row custom">
          <label for={id('rule')}>Rule (RRULE)</label>
          <input
            id={id('rule')}
            value={state.custom}
            spellcheck={false}
            autoComplete="off"
            placeholder="FREQ=WEEKLY;BYDAY=MO,WE"
            aria-describedby={`${id('rule-hint')} ${id('preview-error')}`}
            aria-invalid={previewError ? true : undefined}
            onInput={(event) => emit({ ...state, custom: event.currentTarget.value })}
          />
          <span id={id('rule-hint')} class="muted">
            FREQ (DAILY, WEEKLY, MONTHLY, YEARLY) with INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT
            or UNTIL, e.g. FREQ=MONTHLY;BYDAY=-1FR;COUNT=6.
          </span>
        </div>
      )}

      {rule && (
        <fieldset class="anchor">
          <legend>Repeat from</legend>
          <label>
            <input
              type="radio"
              name={id('anchor')}
              checked={value.anchor === 'DUE_DATE'}
              onChange={() => emit(state, 'DUE_DATE')}
            />
            the due date
          </label>
          <label>
            <input
              type="radio"
              name={id('anchor')}
              checked={value.anchor === 'COMPLETION'}
              onChange={() => emit(state, 'COMPLETION')}
            />
            when it is completed
          </label>
        </fieldset>
      )}

      <p class="preview" role="status" id={id('preview')}>
        {rule && preview.state === 'done' && (
          <PreviewText
            dates={preview.dates}
            timeZone={timeZone}
            fromNow={!dueAt}
            fromCompletion={value.anchor === 'COMPLETION'}
          />
        )}
      </p>
      <p class="error" role="alert" id={id('preview-error')}>
        {rule && previewError}
      </p>
    </fieldset>
  );
}

/** The due-date parts a preset would start from when chosen anew (its list label). */
const fresh = (due: ReturnType<typeof dueParts>): Pick<PresetState, 'monthDay' | 'nth'> => ({
  monthDay: due.monthDay,
  nth: { n: due.nth, day: due.weekday },
});

function PreviewText(props: {
  dates: string[];
  timeZone: string;
  fromNow: boolean;
  fromCompletion: boolean;
}) {
  if (props.dates.length === 0) return <>No further occurrences: the series has ended.</>;
  const note = props.fromNow
    ? ' (counting from now: the task has no due date)'
    : props.fromCompletion
      ? ' (if completed when due)'
      : '';
  return (
    <>
      Next: {props.dates.map((date) => inZone(date, props.timeZone)).join('; ')}
      {note && <span class="muted">{note}</span>}
    </>
  );
}
