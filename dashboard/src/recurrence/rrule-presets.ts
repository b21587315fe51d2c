/**
 * The recurrence presets the task editor offers, and the RRULEs they stand for. Pure: no DOM, no
 * API, so that the mapping is unit-tested (test/dashboard/rrule-presets.spec.ts).
 *
 * Rules are written in the API's canonical part order (FREQ, INTERVAL, BYDAY, BYMONTHDAY), so a
 * rule the API stored parses back into the preset that wrote it.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const ORDINALS: Record<number, string> = {
  1: 'first',
  2: 'second',
  3: 'third',
  4: 'fourth',
  [-1]: 'last',
};

export const PRESETS = [
  'none',
  'daily',
  'weekdays',
  'weekly',
  'monthly-date',
  'monthly-weekday',
  'yearly',
  'custom',
] as const;
export type Preset = (typeof PRESETS)[number];

/** The most INTERVAL the API accepts. */
export const MAX_INTERVAL = 1000;

/** What the editor's controls hold. */
export interface PresetState {
  preset: Preset;
  /** Every `interval` days, weeks, months or years (daily, weekly, monthly-*, yearly). */
  interval: number;
  /** The chosen days of the weekly preset, Monday first. */
  days: Weekday[];
  /** The day of the month of monthly-date. */
  monthDay: number;
  /** The nth weekday of monthly-weekday: n is 1-4, or -1 for the last. */
  nth: { n: number; day: Weekday };
  /** The text of the custom rule. */
  custom: string;
}

/** The parts of a due date the presets derive from, in the task's time zone. */
export interface DueParts {
  weekday: Weekday;
  /** 1-31. */
  monthDay: number;
  /** 1-12. */
  month: number;
  /** Which of its weekday in its month: 1-4, or -1 when it is the fifth (the last). */
  nth: number;
}

/** The due-date parts of `moment` in `timeZone` (UTC when the browser does not know the zone). */
export function dueParts(moment: Date, timeZone: string): DueParts {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'numeric',
    }).formatToParts(moment);
  } catch {
    return dueParts(moment, 'UTC');
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').slice(0, 2).toUpperCase() as Weekday;
  const monthDay = Number(part('day'));
  const n = Math.ceil(monthDay / 7);
  return { weekday, monthDay, month: Number(part('month')), nth: n > 4 ? -1 : n };
}

/** The state a new rule starts from: presets derive their days from the due date. */
export function defaultState(due: DueParts): PresetState {
  return {
    preset: 'none',
    interval: 1,
    days: [due.weekday],
    monthDay: due.monthDay,
    nth: { n: due.nth, day: due.weekday },
    custom: '',
  };
}

const sortDays = (days: Weekday[]): Weekday[] => WEEKDAYS.filter((day) => days.includes(day));
const WORKDAYS: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

/** The RRULE of the controls' state; null for "does not repeat" (and an empty custom rule). */
export function ruleOf(state: PresetState): string | null {
  const every = (freq: string, ...rest: string[]) =>
    [
      `FREQ=${freq}`,
      ...(state.interval > 1 ? [`INTERVAL=${Math.min(state.interval, MAX_INTERVAL)}`] : []),
      ...rest,
    ].join(';');
  switch (state.preset) {
    case 'none':
      return null;
    case 'daily':
      return every('DAILY');
    case 'weekdays':
      return `FREQ=WEEKLY;BYDAY=${WORKDAYS.join(',')}`;
    case 'weekly': {
      const days = sortDays(state.days);
      return every('WEEKLY', ...(days.length ? [`BYDAY=${days.join(',')}`] : []));
    }
    case 'monthly-date':
      return every('MONTHLY', `BYMONTHDAY=${state.monthDay}`);
    case 'monthly-weekday':
      return every('MONTHLY', `BYDAY=${state.nth.n}${state.nth.day}`);
    case 'yearly':
      return every('YEARLY');
    case 'custom':
      return state.custom.trim() || null;
  }
}

/** A rule's parts by name (upper case, without `RRULE:`); null when it is not NAME=VALUE;... */
function partsOf(rule: string): Map<string, string> | null {
  const parts = new Map<string, string>();
  for (const part of rule
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')) {
    const match = /^\s*([A-Za-z]+)\s*=\s*([^=]+?)\s*$/.exec(part);
    if (!match || parts.has(match[1]!.toUpperCase())) return null;
    parts.set(match[1]!.toUpperCase(), match[2]!.toUpperCase());
  }
  return parts;
}

/**
 * The controls' state for a stored rule: the preset it matches, with its days and interval, or
 * `custom` with the rule as its text. `due` fills in what the rule leaves to the due date
 * (FREQ=WEEKLY without BYDAY is the due date's weekday; FREQ=MONTHLY alone its day of the month).
 */
export function presetOf(rule: string | null, due: DueParts): PresetState {
  const base = defaultState(due);
  if (rule === null || rule.trim() === '') return base;
  const custom: PresetState = { ...base, preset: 'custom', custom: rule };
  const parts = partsOf(rule);
  if (!parts) return custom;
  const {
    FREQ: freq,
    INTERVAL: intervalText = '1',
    BYDAY: byDay,
    BYMONTHDAY: byMonthDay,
    ...rest
  } = Object.fromEntries(parts);
  // COUNT, UNTIL, BYMONTH and anything unknown: no preset writes them.
  if (Object.keys(rest).length > 0) return custom;
  if (!/^\d{1,4}$/.test(intervalText)) return custom;
  const interval = Number(intervalText);
  if (interval < 1 || interval > MAX_INTERVAL) return custom;
  const days = byDay?.split(',') ?? [];
  const plainDays = days.every((day) => (WEEKDAYS as readonly string[]).includes(day));
  const state = (preset: Preset, more: Partial<PresetState> = {}): PresetState => ({
    ...base,
    interval,
    ...more,
    preset,
  });

  switch (freq) {
    case 'DAILY':
      return byDay || byMonthDay ? custom : state('daily');
    case 'WEEKLY': {
      if (byMonthDay || !plainDays) return custom;
      const chosen = sortDays(days as Weekday[]);
      if (chosen.length !== days.length) return custom; // a day given twice
      if (interval === 1 && chosen.join(',') === WORKDAYS.join(',')) return state('weekdays');
      return state('weekly', chosen.length ? { days: chosen } : {});
    }
    case 'MONTHLY': {
      if (byDay && byMonthDay) return custom;
      if (byMonthDay) {
        if (!/^\d{1,2}$/.test(byMonthDay)) return custom;
        const monthDay = Number(byMonthDay);
        return monthDay >= 1 && monthDay <= 31 ? state('monthly-date', { monthDay }) : custom;
      }
      if (byDay) {
        const match = /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay.replace(/^\+/, ''));
        if (!match) return custom;
        return state('monthly-weekday', {
          nth: { n: Number(match[1]), day: match[2] as Weekday },
        });
      }
      return state('monthly-date', { monthDay: due.monthDay });
    }
    case 'YEARLY':
      return byDay || byMonthDay ? custom : state('yearly');
    default:
      return custom;
  }
}

/** The unit an interval counts, e.g. "weeks"; null for presets without an interval. */
export function intervalUnit(preset: Preset, interval = 2): string | null {
  const unit = {
    daily: 'day',
    weekly: 'week',
    'monthly-date': 'month',
    'monthly-weekday': 'month',
    yearly: 'year',
  }[preset as string];
  return unit ? `${unit}${interval === 1 ? '' : 's'}` : null;
}

/** "the second Tuesday", "the last Friday". */
export const nthText = (nth: { n: number; day: Weekday }): string =>
  `the ${ORDINALS[nth.n] ?? `${nth.n}th`} ${WEEKDAY_NAMES[nth.day]}`;

/** What each preset is called in the editor's list, with the days it derives from `state`. */
export function presetLabel(preset: Preset, state: PresetState, due: DueParts): string {
  switch (preset) {
    case 'none':
      return 'Does not repeat';
    case 'daily':
      return 'Daily';
    case 'weekdays':
      return 'Every weekday (Monday to Friday)';
    case 'weekly':
      return 'Weekly on chosen days';
    case 'monthly-date':
      return `Monthly on day ${state.monthDay}`;
    case 'monthly-weekday':
      return `Monthly on ${nthText(state.nth)}`;
    case 'yearly':
      return `Yearly on ${MONTH_NAMES[due.month - 1]} ${due.monthDay}`;
    case 'custom':
      return 'Custom rule';
  }
}
