/**
 * A series prepared for rrule, in floating time (see occurrences.ts for why), with its walk
 * bounded (see search-limit.ts) and begun near the moment asked about (see rebase.ts).
 */
import rrulePackage from 'rrule';
import type { Options, Weekday as RRuleWeekday } from 'rrule';
import { toFloating, utcDate } from './floating-time.ts';
import { neverOccurs } from './never-occurs.ts';
import { limitPeriods } from './period-limit.ts';
import { dayPartsOf, rebasedStart } from './rebase.ts';
import type { Frequency, RecurrenceRule, Weekday } from './rule.ts';

// rrule ships CommonJS to Node (its ESM build is not marked as such): use the default export.
const { RRule } = rrulePackage;

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

/** 400 Gregorian years, after which the calendar repeats to the weekday (20,871 weeks). */
const GREGORIAN_CYCLE_MS = 146_097 * DAY_MS;

/** A series ready to walk: an rrule in floating time and the real end of the series. */
export interface FloatingSeries {
  rule: InstanceType<typeof RRule>;
  /** Added to each date rrule gives to have the series' floating time. */
  offset: number;
  /** A UTC UNTIL, checked on real instants (floating time cannot order them exactly). */
  untilInstant: number | undefined;
  /** Where the search starts, in rrule's time. */
  from: Date;
}

/** The UNTIL of a rule as rrule takes it (floating), and as a real instant when it is one. */
function untilOf(rule: RecurrenceRule, timeZone: string) {
  const u = rule.until;
  if (u?.form === 'date') {
    // The whole local day, inclusive: every wall-clock time up to 23:59:59.999 that day.
    return { until: utcDate(u.year, u.month, u.day, 23, 59, 59, 999), untilInstant: undefined };
  }
  if (u?.form === 'local') {
    const until = utcDate(u.year, u.month, u.day, u.hour, u.minute, u.second, 999);
    return { until, untilInstant: undefined };
  }
  if (u?.form === 'utc') {
    const untilInstant = utcDate(u.year, u.month, u.day, u.hour, u.minute, u.second).getTime();
    // Let rrule stop a little late; the exact check is on real instants.
    const until = new Date(toFloating(new Date(untilInstant), timeZone).getTime() + MARGIN_MS);
    return { until, untilInstant };
  }
  return { until: null, untilInstant: undefined };
}

/**
 * The series of `rule` starting at `dtstart` in `timeZone`, to walk from `after` on through at
 * most `periods` periods; null when it obviously has no occurrence at all (see never-occurs.ts).
 * With `withCount` rrule stops at the rule's COUNT, counted from `dtstart`.
 */
export function floatingSeries(
  rule: RecurrenceRule,
  opts: { dtstart: Date; timeZone: string; after: Date },
  walk: { withCount: boolean; periods: number },
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
  const count = walk.withCount ? rule.count : undefined;
  const walkStart = count === undefined ? rebasedStart(rule, start, from) : start;
  // rrule makes dates with Date.UTC, which reads the years 0-99 as 1900-1999: a walk that
  // begins before the year 100 is done 400 years later, where every date falls the same.
  const shift = walkStart.getUTCFullYear() < 100 ? GREGORIAN_CYCLE_MS : 0;
  const shifted = (date: Date) => new Date(date.getTime() + shift);
  const { until, untilInstant } = untilOf(rule, timeZone);
  const parts = dayPartsOf(rule, start);

  const options: Partial<Options> = {
    freq: FREQ[rule.freq],
    interval: rule.interval,
    dtstart: shifted(walkStart),
    // No tzid: rrule works in plain UTC, which is where its time-zone bugs cannot reach.
    tzid: null,
    // What the rule leaves to the series' start is given explicitly: the walk may start later.
    byweekday: parts.byDay.length
      ? parts.byDay.map(({ day, n }) => (n === undefined ? WEEKDAY[day] : WEEKDAY[day].nth(n)))
      : null,
    bymonthday: parts.byMonthDay.length ? parts.byMonthDay : null,
    bymonth: parts.byMonth.length ? parts.byMonth : null,
    count: count ?? null,
    until: until && shifted(until),
  };
  const rrule = new RRule(options, true);
  limitPeriods(rrule, walk.periods);
  return { rule: rrule, offset: milliseconds - shift, untilInstant, from: shifted(from) };
}
