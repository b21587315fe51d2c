/**
 * Occurrences of a recurrence rule in a task's IANA time zone.
 *
 * `rrule`'s own time-zone support (`tzid`) has long-standing bugs (jkbrzt/rrule#294, #359, #452,
 * #556, #604 among others: instants off by the DST shift, extra or missing occurrences on the day
 * of a change, results that depend on the host's time zone), so it is never used here. Instead
 * every computation is done in "floating" time, the workaround the
 * rrule README describes: the series' wall-clock start in the task's zone is written as if it were
 * UTC, rrule iterates in UTC (where there is no DST), and each wall-clock result is converted to a
 * real instant in the zone with luxon.
 */
import { DateTime } from 'luxon';
import { EARLIEST_INSTANT, LATEST_INSTANT } from '../instant-range.ts';
import { floatingSeries, type FloatingSeries } from './floating-series.ts';
import { fromFloating } from './floating-time.ts';
import { PeriodLimitReached } from './period-limit.ts';
import type { RecurrenceRule } from './rule.ts';
import { searchLimitError, searchPeriods } from './search-limit.ts';

/** The largest `count` that {@link occurrencesAfter} accepts. */
export const MAX_OCCURRENCES = 100;

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

/** The last moment rrule can produce (its MAXYEAR is 9999). */
const END_OF_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Walks the real instants of a series that are strictly after `after`, in order, until `take`
 * returns false, the series ends (at COUNT, at UNTIL, or at the last instant the system carries,
 * see instant-range.ts) or the walk has examined the periods it may (see search-limit.ts). An
 * occurrence whose wall-clock day was skipped by its zone (moved forward onto the next one) is
 * not repeated.
 * @returns whether the walk stopped at its search limit.
 */
function walkAfter(
  series: FloatingSeries,
  after: Date,
  timeZone: string,
  take: (instant: Date) => boolean,
): boolean {
  const { rule, offset, untilInstant, from } = series;
  let last = Math.max(after.getTime(), EARLIEST_INSTANT - 1);
  try {
    rule.between(from, new Date(END_OF_TIME), true, (floating) => {
      const instant = fromFloating(new Date(floating.getTime() + offset), timeZone);
      if (instant.getTime() > LATEST_INSTANT) return false;
      if (untilInstant !== undefined && instant.getTime() > untilInstant) return false;
      if (instant.getTime() <= last) return true;
      last = instant.getTime();
      return take(instant);
    });
    return false;
  } catch (error) {
    if (error instanceof PeriodLimitReached) return true;
    throw error;
  }
}

/**
 * The first `count` occurrences strictly after `after`, for a series that starts at `dtstart`, in
 * `timeZone`.
 *
 * Every occurrence keeps the wall-clock time of `dtstart` in `timeZone` across DST changes.
 * BYDAY, BYMONTHDAY and BYMONTH, when absent, are derived from `dtstart` as RFC 5545 says. COUNT
 * counts from `dtstart`, so the result never goes past the series' total; UNTIL ends the series
 * (a `YYYYMMDD` UNTIL includes that whole local day, a local date-time is wall-clock time in
 * `timeZone`, a `…Z` one is a UTC instant), and so does the last instant the system carries.
 *
 * @param count how many occurrences at most, 0 to {@link MAX_OCCURRENCES}.
 * @returns the occurrences in order; fewer than `count` (perhaps none) when the series ends, or
 * when the next one lies beyond the search (see search-limit.ts).
 * @throws LimitExceededError (limit `recurrenceSearch`) when no occurrence after `after` lies
 * within that search.
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
  if (count === 0) return found;
  const periods = searchPeriods(rule);
  const series = floatingSeries(rule, opts, { withCount: true, periods });
  if (!series) return found;
  const limited = walkAfter(series, after, timeZone, (instant) => {
    found.push(instant);
    return found.length < count;
  });
  if (limited && found.length === 0) throw searchLimitError(rule, periods, after);
  return found;
}

/**
 * The next instance of a series: the first occurrence strictly after `after`, or null when the
 * series has ended.
 *
 * `seriesIndex` is the 1-based index of the instance just completed; COUNT counts instances of the
 * series (so with COUNT=3, after instance 3 the series has ended, whatever the dates).
 * UNTIL ends the series too (an occurrence after UNTIL does not exist), and so does the last
 * instant the system carries.
 *
 * The occurrence keeps the wall-clock time of `dtstart` in `timeZone`: completing a task late
 * does not move the series (no drift), it only skips the occurrences already past `after`.
 *
 * @throws LimitExceededError (limit `recurrenceSearch`) when the next occurrence does not lie
 * within the search for one (see search-limit.ts).
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
  const periods = searchPeriods(rule);
  const series = floatingSeries(rule, opts, { withCount: false, periods });
  if (!series) return null;
  let next: Date | null = null;
  const limited = walkAfter(series, after, timeZone, (instant) => {
    next = instant;
    return false;
  });
  if (limited && next === null) throw searchLimitError(rule, periods, after);
  return next;
}
