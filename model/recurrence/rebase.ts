/**
 * Where a walk through a series may start instead of at the series' first instance, so that the
 * work of finding what comes after a moment does not grow with the age of the series. All dates
 * here are floating time (see floating-time.ts).
 */
import { utcDate, weekdayOf } from './floating-time.ts';
import type { RecurrenceRule } from './rule.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The parts of a rule that select days, with what a series takes from its start filled in. */
export type DayParts = Pick<RecurrenceRule, 'byDay' | 'byMonthDay' | 'byMonth'>;

/**
 * The rule's BYDAY, BYMONTHDAY and BYMONTH with the values RFC 5545 takes from the series'
 * `start` when a rule gives neither BYDAY nor BYMONTHDAY (as rrule derives them): the weekday of
 * the start for FREQ=WEEKLY, its day of the month for FREQ=MONTHLY, and its day and month for
 * FREQ=YEARLY. A walk that starts elsewhere must be given them.
 */
export function dayPartsOf(rule: RecurrenceRule, start: Date): DayParts {
  const { byDay, byMonthDay, byMonth } = rule;
  if (byDay.length || byMonthDay.length) return { byDay, byMonthDay, byMonth };
  const day = start.getUTCDate();
  switch (rule.freq) {
    case 'WEEKLY':
      return {
        byDay: [{ day: weekdayOf(start), n: undefined }],
        byMonthDay,
        byMonth,
      };
    case 'MONTHLY':
      return { byDay, byMonthDay: [day], byMonth };
    case 'YEARLY':
      return {
        byDay,
        byMonthDay: [day],
        byMonth: byMonth.length ? byMonth : [start.getUTCMonth() + 1],
      };
    default:
      return { byDay, byMonthDay, byMonth };
  }
}

/**
 * The latest moment at or before `from` where a walk through the series that starts at `start`
 * can begin and find every occurrence from `from` on, or `start` itself when there is none
 * after it. It is a whole number of periods of INTERVAL after the start (the same days, weeks,
 * months or years repeat from there), at the start's time of day: a later day for FREQ=DAILY
 * and FREQ=WEEKLY (the same weekday), the first day of a month for FREQ=MONTHLY and of a year
 * for FREQ=YEARLY. COUNT counts from the start, so a walk that needs it cannot begin elsewhere.
 * The walk must be given `dayPartsOf(rule, start)` ({@link dayPartsOf}).
 */
export function rebasedStart(rule: RecurrenceRule, start: Date, from: Date): Date {
  if (from.getTime() <= start.getTime()) return start;
  const time = [start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()] as const;
  if (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') {
    const step = rule.interval * (rule.freq === 'DAILY' ? 1 : 7) * DAY_MS;
    const periods = Math.floor((from.getTime() - start.getTime()) / step);
    return new Date(start.getTime() + periods * step);
  }
  // Months since the year 0; a period is INTERVAL months, or INTERVAL years of 12 months.
  const monthOf = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
  const months = rule.freq === 'MONTHLY' ? rule.interval : 12 * rule.interval;
  const first = rule.freq === 'MONTHLY' ? monthOf(start) : start.getUTCFullYear() * 12;
  for (let periods = Math.floor((monthOf(from) - first) / months); periods > 0; periods--) {
    const month = first + periods * months;
    const candidate = utcDate(Math.floor(month / 12), (month % 12) + 1, 1, ...time);
    if (candidate.getTime() <= from.getTime()) return candidate;
  }
  return start;
}
