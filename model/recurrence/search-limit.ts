/**
 * How far the recurrence code looks for occurrences. A walk through a rule costs time for every
 * period it examines, matching or not, and a rule may match rarely (a Monday, February 29, walked
 * day by day) or never (the fifth Monday that is a month's first day), so every walk is bounded:
 * it may spend {@link SEARCH_UNITS} units of work, each period it examines costing what rrule
 * spends on it (a day's work for a day, ten for a year).
 */
import { LimitExceededError } from '../errors.ts';
import { formatRecurrenceRule, type Frequency, type RecurrenceRule } from './rule.ts';

/** The `limit` a LimitExceededError names when no occurrence is within the search. */
export const RECURRENCE_SEARCH = 'recurrenceSearch';

/**
 * What examining one period costs, in units of about 3-15 µs: rrule filters every day of a
 * period, so a week costs about two days' work, a month four and a year ten (measured).
 */
const PERIOD_UNITS: Record<Frequency, number> = { DAILY: 1, WEEKLY: 2, MONTHLY: 4, YEARLY: 10 };

/**
 * What one search may spend, whatever the number of occurrences asked for: 5,000 days (13 years),
 * 2,500 weeks (47 years), 1,250 months (104 years) or 500 years, times INTERVAL. That took
 * 15-80 ms on the 2-core machine it was measured on, and longer before rrule's code is compiled.
 */
const SEARCH_UNITS = 5_000;

/** What each occurrence found adds: its conversion from floating time to an instant. */
const UNITS_PER_OCCURRENCE = 10;

/** The units one point of the GraphQL complexity limit stands for (about 50 µs of work). */
const UNITS_PER_COMPLEXITY_POINT = 5;

const UNIT_NAMES: Record<Frequency, string> = {
  DAILY: 'days',
  WEEKLY: 'weeks',
  MONTHLY: 'months',
  YEARLY: 'years',
};

/** How many periods of `rule` a search may examine. */
export function searchPeriods(rule: RecurrenceRule): number {
  return Math.floor(SEARCH_UNITS / PERIOD_UNITS[rule.freq]);
}

/**
 * The complexity a search for `count` occurrences counts against the GraphQL complexity limit:
 * the most work it may do, whatever the rule.
 */
export function searchComplexity(count: number): number {
  return Math.ceil((SEARCH_UNITS + count * UNITS_PER_OCCURRENCE) / UNITS_PER_COMPLEXITY_POINT);
}

/**
 * The error for a search that examined `periods` periods of `rule` after `after` and found
 * nothing: the rule may occur later, but not within what the server computes.
 */
export function searchLimitError(
  rule: RecurrenceRule,
  periods: number,
  after: Date,
): LimitExceededError {
  return new LimitExceededError(
    RECURRENCE_SEARCH,
    periods,
    `${formatRecurrenceRule(rule)} has no occurrence within ${periods * rule.interval} ` +
      `${UNIT_NAMES[rule.freq]} after ${after.toISOString()}, which is as far as occurrences ` +
      'are looked for; use a rule that occurs more often, or say a rare date with the frequency ' +
      'it has (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO rather than FREQ=DAILY with the same parts)',
  );
}

/** Whether `error` is the one {@link searchLimitError} makes. */
export function isSearchLimitError(error: unknown): error is LimitExceededError {
  return error instanceof LimitExceededError && error.limit === RECURRENCE_SEARCH;
}
