/**
 * Floating time: a wall-clock time in some zone written as if it were UTC, so rrule can iterate
 * where there is no daylight saving time (see occurrences.ts).
 */
import { DateTime } from 'luxon';
import type { Weekday } from './weekdays.ts';

/** The wall-clock parts of a local date-time. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * The UTC date-time of these parts. Unlike `Date.UTC`, which reads the years 0-99 as 1900-1999,
 * every year is taken as written. A day past the end of its month rolls over into the next, as
 * in `Date.UTC`.
 */
export function utcDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): Date {
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, millisecond));
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

/** rrule's weekday codes by JavaScript's `getUTCDay()` (0 is Sunday). */
const JS_WEEKDAYS: readonly Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The weekday of a floating date-time. */
export function weekdayOf(floating: Date): Weekday {
  return JS_WEEKDAYS[floating.getUTCDay()]!;
}

/** The wall-clock time of `instant` in `timeZone`, written as if it were UTC ("floating"). */
export function toFloating(instant: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`Unknown time zone "${timeZone}".`);
  return utcDate(
    local.year,
    local.month,
    local.day,
    local.hour,
    local.minute,
    local.second,
    local.millisecond,
  );
}

function wallClockOf(floating: Date): WallClock {
  return {
    year: floating.getUTCFullYear(),
    month: floating.getUTCMonth() + 1,
    day: floating.getUTCDate(),
    hour: floating.getUTCHours(),
    minute: floating.getUTCMinutes(),
    second: floating.getUTCSeconds(),
    millisecond: floating.getUTCMilliseconds(),
  };
}

/**
 * The real instant of a floating wall-clock time in `timeZone`. A time that does not exist (in a
 * DST spring-forward gap) moves forward by the length of the gap (02:30 becomes 03:30 when clocks
 * go from 02:00 to 03:00); a time that exists twice (on a fall-back day) is the earlier instant.
 */
export function fromFloating(floating: Date, timeZone: string): Date {
  const local = DateTime.fromObject(wallClockOf(floating), { zone: timeZone });
  if (!local.isValid) throw new RangeError(`Unknown time zone "${timeZone}".`);
  // For an ambiguous time luxon picks one of the offsets; take the earliest instant explicitly.
  const earliest = Math.min(...local.getPossibleOffsets().map((dt) => dt.toMillis()));
  return new Date(Number.isFinite(earliest) ? earliest : local.toMillis());
}
