/**
 * Occurrences of a recurrence rule in a task's IANA time zone.
 *
 * `rrule`'s own time-zone support (`tzid`) has long-standing bugs (jkbrzt/rrule#294, #359, #452,
 * #556, #604 among others: instants off by the DST shift, extra or missing occurrences on the day
 * of a change, results that depend on the host's time zone), so it is never used here. Instead every computation is done in "floating" time, the workaround the
 * rrule README describes: the series' wall-clock start in the task's zone is written as if it were
 * UTC, rrule iterates in UTC (where there is no DST), and each wall-clock result is converted to a
 * real instant in the zone with luxon.
 */
import { DateTime } from 'luxon';
import rrulePackage from 'rrule';
import type { Options, Weekday as RRuleWeekday } from 'rrule';
import { fromFloating, toFloating } from './floating-time.ts';
import type { Frequency, RecurrenceRule, Weekday } from './rule.ts';

// rrule ships CommonJS to Node (its ESM build is not marked as such): use the default export.
const { RRule } = rrulePackage;

/** The largest `count` that {@link occurrencesAfter} accepts. */
export const MAX_OCCURRENCES = 100;

const FREQ: Record<Frequency, Options['freq']> = {
  DAILY: RRule.DAILY,
  WEEKLY: RRule.WEEKLY,
  MONTHLY: RRule.MONTHLY,
  YEARLY: RRule.YEARLY,
};

const WEEKDAY: Record<Weekday, RRuleWeekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * More than a zone's UTC offset ever changes at once (DST moves it by an hour or two; the largest
 * jump, Samoa's in 2011, was a day), so a floating bound widened by it never cuts off an
 * occurrence whose real instant is within the bound.
 */
const MARGIN_MS = 2 * DAY_MS;

function checkArguments(opts: { dtstart: Date; timeZone: string; after: Date }): void {
  for (const [name, date] of [
    ['dtstart', opts.dtstart],
    ['after', opts.after],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new RangeError(`${name} must be a valid Date.`);
    }
  }
  if (!DateTime.now().setZone(opts.timeZone).isValid) {
    throw new RangeError(`Unknown time zone "${opts.timeZone}".`);
  }
}

/** The last moment rrule can produce (its MAXYEAR is 9999); later Date values may overflow. */
const END_OF_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** rrule's weekday codes by JavaScript's `getUTCDay()` (0 is Sunday). */
const JS_WEEKDAYS: readonly Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/**
 * Whether a rule obviously has no occurrence at all, so that rrule is not asked to look for one.
 * rrule would look until the year 9999 (its UNTIL and COUNT checks only see days that match),
 * which takes about ten seconds for FREQ=DAILY and one for FREQ=WEEKLY:
 * - no month the rule allows has any of its BYMONTHDAY days (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30);
 * - FREQ=DAILY with an INTERVAL of whole weeks stays on dtstart's weekday, which BYDAY excludes
 *   (FREQ=DAILY;INTERVAL=7;BYDAY=TU starting on a Monday);
 * - every BYDAY is numbered beyond 5 where the numbers count within a month (FREQ=MONTHLY, or
 *   FREQ=YEARLY with BYMONTH): no month has a sixth Monday (FREQ=MONTHLY;BYDAY=6MO).
 */
function neverOccurs(rule: RecurrenceRule, start: Date): boolean {
  if (rule.byMonthDay.length) {
    const months = rule.byMonth.length ? rule.byMonth : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const anyDay = months.some((month) =>
      rule.byMonthDay.some((day) => Math.abs(day) <= (MONTH_DAYS[month - 1] ?? 31)),
    );
    if (!anyDay) return true;
  }
  if (rule.freq === 'DAILY' && rule.interval % 7 === 0 && rule.byDay.length) {
    const weekday = JS_WEEKDAYS[start.getUTCDay()];
    if (!rule.byDay.some(({ day }) => day === weekday)) return true;
  }
  const withinMonth = rule.freq === 'MONTHLY' || (rule.freq === 'YEARLY' && rule.byMonth.length);
  if (withinMonth && rule.byDay.length && rule.byDay.every(({ n }) => Math.abs(n ?? 0) > 5)) {
    return true;
  }
  return false;
}

/** A series prepared for querying: an rrule in floating time and the real end of the series. */
interface FloatingSeries {
  rule: InstanceType<typeof RRule>;
  /** The milliseconds the floating dtstart dropped; added back to every occurrence. */
  milliseconds: number;
  /** A UTC UNTIL, checked on real instants (floating time cannot order them exactly). */
  untilInstant: number | undefined;
  /** Where the search starts, in floating time. */
  from: Date;
}

/**
 * The rrule for a series in floating time, searching from `after`, or null when the series
 * obviously has no occurrence at all (see {@link neverOccurs}).
 */
function floatingSeries(
  rule: RecurrenceRule,
  opts: { dtstart: Date; timeZone: string; after: Date },
  withCount: boolean,
): FloatingSeries | null {
  const { dtstart, timeZone, after } = opts;
  const start = toFloating(dtstart, timeZone);
  const milliseconds = start.getUTCMilliseconds();
  // rrule carries sub-second parts badly (`getTime() % 1000` is negative before 1970): drop them
  // and add them back to each occurrence.
  start.setUTCMilliseconds(0);
  if (neverOccurs(rule, start)) return null;

  // Floating and real time differ by the zone's offset, which can change (DST): start the
  // floating search early enough; real instants are compared exactly afterwards.
  const from = new Date(toFloating(after, timeZone).getTime() - MARGIN_MS);
  let until: Date | null = null;
  let untilInstant: number | undefined;
  const u = rule.until;
  if (u?.form === 'date') {
    // The whole local day, inclusive: every wall-clock time up to 23:59:59.999 that day.
    until = new Date(Date.UTC(u.year, u.month - 1, u.day, 23, 59, 59, 999));
  } else if (u?.form === 'local') {
    until = new Date(Date.UTC(u.year, u.month - 1, u.day, u.hour, u.minute, u.second, 999));
  } else if (u?.form === 'utc') {
    untilInstant = Date.UTC(u.year, u.month - 1, u.day, u.hour, u.minute, u.second);
    // Let rrule stop a little late; the exact check is on real instants.
    until = new Date(toFloating(new Date(untilInstant), timeZone).getTime() + MARGIN_MS);
  }

  const options: Partial<Options> = {
    freq: FREQ[rule.freq],
    interval: rule.interval,
    dtstart: start,
    // No tzid: rrule works in plain UTC, which is where its time-zone bugs cannot reach.
    tzid: null,
    // Absent BYxxx parts stay null so that rrule derives them from dtstart (RFC 5545).
    byweekday: rule.byDay.length
      ? rule.byDay.map(({ day, n }) => (n === undefined ? WEEKDAY[day] : WEEKDAY[day].nth(n)))
      : null,
    bymonthday: rule.byMonthDay.length ? rule.byMonthDay : null,
    bymonth: rule.byMonth.length ? rule.byMonth : null,
    count: withCount ? (rule.count ?? null) : null,
    until,
  };
  return { rule: new RRule(options, true), milliseconds, untilInstant, from };
}

/**
 * Walks the real instants of a series that are strictly after `after`, in order, until `take`
 * returns false or the series ends (at COUNT, at UNTIL, or in the year 9999, where rrule stops).
 * An occurrence whose wall-clock day was skipped by its zone (moved forward onto the next one)
 * is not repeated.
 */
function walkAfter(
  series: FloatingSeries,
  after: Date,
  timeZone: string,
  take: (instant: Date) => boolean,
): void {
  const { rule, milliseconds, untilInstant, from } = series;
  let last = after.getTime();
  rule.between(from, new Date(END_OF_TIME), true, (floating) => {
    const instant = fromFloating(new Date(floating.getTime() + milliseconds), timeZone);
    if (untilInstant !== undefined && instant.getTime() > untilInstant) return false;
    if (instant.getTime() <= last) return true;
    last = instant.getTime();
    return take(instant);
  });
}

/**
 * The first `count` occurrences strictly after `after`, for a series that starts at `dtstart`, in
 * `timeZone`.
 *
 * Every occurrence keeps the wall-clock time of `dtstart` in `timeZone` across DST changes.
 * BYDAY, BYMONTHDAY and BYMONTH, when absent, are derived from `dtstart` as RFC 5545 says. COUNT
 * counts from `dtstart`, so the result never goes past the series' total; UNTIL ends the series
 * (a `YYYYMMDD` UNTIL includes that whole local day, a local date-time is wall-clock time in
 * `timeZone`, a `…Z` one is a UTC instant).
 *
 * @param count how many occurrences at most, 0 to {@link MAX_OCCURRENCES}.
 * @returns the occurrences in order; fewer than `count` (perhaps none) when the series ends.
 * @throws RangeError when `count` is out of range, a date is invalid or the time zone unknown.
 */
export function occurrencesAfter(
  rule: RecurrenceRule,
  opts: { dtstart: Date; timeZone: string; after: Date; count: number },
): Date[] {
  const { timeZone, after, count } = opts;
  if (!Number.isInteger(count) || count < 0 || count > MAX_OCCURRENCES) {
    throw new RangeError(
      `count must be a whole number from 0 to ${MAX_OCCURRENCES}; got ${count}.`,
    );
  }
  checkArguments(opts);
  const found: Date[] = [];
  const series = count === 0 ? null : floatingSeries(rule, opts, true);
  if (!series) return found;
  walkAfter(series, after, timeZone, (instant) => {
    found.push(instant);
    return found.length < count;
  });
  return found;
}

/**
 * The next instance of a series: the first occurrence strictly after `after`, or null when the
 * series has ended.
 *
 * `seriesIndex` is the 1-based index of the instance just completed; COUNT counts instances of the
 * series (so with COUNT=3, after instance 3 the series has ended, whatever the dates).
 * UNTIL ends the series too (an occurrence after UNTIL does not exist).
 *
 * The occurrence keeps the wall-clock time of `dtstart` in `timeZone`: completing a task late
 * does not move the series (no drift), it only skips the occurrences already past `after`.
 *
 * @throws RangeError when `seriesIndex` is not a whole number from 1, a date is invalid or the
 * time zone unknown.
 */
export function nextOccurrence(
  rule: RecurrenceRule,
  opts: { dtstart: Date; timeZone: string; after: Date; seriesIndex: number },
): Date | null {
  const { timeZone, after, seriesIndex } = opts;
  if (!Number.isInteger(seriesIndex) || seriesIndex < 1) {
    throw new RangeError(`seriesIndex must be a whole number from 1; got ${seriesIndex}.`);
  }
  checkArguments(opts);
  // COUNT is about instances, not dates: it is checked here and not handed to rrule.
  if (rule.count !== undefined && seriesIndex >= rule.count) return null;
  const series = floatingSeries(rule, opts, false);
  if (!series) return null;
  let next: Date | null = null;
  walkAfter(series, after, timeZone, (instant) => {
    next = instant;
    return false;
  });
  return next;
}
