import { weekdayOf } from './floating-time.ts';
import type { RecurrenceRule } from './rule.ts';

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a rule obviously has no occurrence at all, so that it answers "none" at once instead of
 * walking to the end of its search (see search-limit.ts):
 * - no month the rule allows has any of its BYMONTHDAY days (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30);
 * - FREQ=DAILY with an INTERVAL of whole weeks stays on the start's weekday, which BYDAY excludes
 *   (FREQ=DAILY;INTERVAL=7;BYDAY=TU starting on a Monday);
 * - every BYDAY is numbered beyond 5 where the numbers count within a month (FREQ=MONTHLY, or
 *   FREQ=YEARLY with BYMONTH): no month has a sixth Monday (FREQ=MONTHLY;BYDAY=6MO);
 * - FREQ=MONTHLY with an INTERVAL of whole years stays in the start's month, which BYMONTH
 *   excludes (FREQ=MONTHLY;INTERVAL=12;BYMONTH=3 starting in January);
 * - FREQ=YEARLY with an INTERVAL of whole leap cycles stays in years like the start's, and when
 *   that is no leap year, a rule of February's leap days only never occurs
 *   (FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29 starting in 2025).
 * `start` is the series' start in floating time.
 */
export function neverOccurs(rule: RecurrenceRule, start: Date): boolean {
  if (rule.byMonthDay.length) {
    const months = rule.byMonth.length ? rule.byMonth : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const anyDay = months.some((month) =>
      rule.byMonthDay.some((day) => Math.abs(day) <= (MONTH_DAYS[month - 1] ?? 31)),
    );
    if (!anyDay) return true;
  }
  if (rule.freq === 'DAILY' && rule.interval % 7 === 0 && rule.byDay.length) {
    const weekday = weekdayOf(start);
    if (!rule.byDay.some(({ day }) => day === weekday)) return true;
  }
  const withinMonth = rule.freq === 'MONTHLY' || (rule.freq === 'YEARLY' && rule.byMonth.length);
  if (withinMonth && rule.byDay.length && rule.byDay.every(({ n }) => Math.abs(n ?? 0) > 5)) {
    return true;
  }
  const month = start.getUTCMonth() + 1;
  if (rule.freq === 'MONTHLY' && rule.interval % 12 === 0 && rule.byMonth.length) {
    if (!rule.byMonth.includes(month)) return true;
  }
  const leapDaysOnly =
    rule.byMonth.length === 1 &&
    rule.byMonth[0] === 2 &&
    rule.byMonthDay.length > 0 &&
    rule.byMonthDay.every((day) => Math.abs(day) >= 29);
  if (rule.freq === 'YEARLY' && rule.interval % 4 === 0 && leapDaysOnly) {
    if (start.getUTCFullYear() % 4 !== 0) return true;
  }
  return false;
}
