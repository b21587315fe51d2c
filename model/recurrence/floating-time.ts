/**
 * Floating time: a wall-clock time in some zone written as if it were UTC, so rrule can iterate
 * where there is no daylight saving time (see occurrences.ts).
 */
import { DateTime } from 'luxon';

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

/** The wall-clock time of `instant` in `timeZone`, written as if it were UTC ("floating"). */
export function toFloating(instant: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`Unknown time zone "${timeZone}".`);
  return new Date(
    Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      local.hour,
      local.minute,
      local.second,
      local.millisecond,
    ),
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
