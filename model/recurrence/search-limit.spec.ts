/**
 * The walk through a rule is bounded: a rule that (almost) never occurs cannot hold the event
 * loop for seconds, and a series that started long ago is searched from near `after`, not from
 * its start.
 */
import { LimitExceededError } from '../errors.ts';
import type { Task } from '../task.ts';
import { planNextInstance } from './next-instance.ts';
import { nextOccurrence, occurrencesAfter } from './occurrences.ts';
import { parseRecurrenceRule } from './rule.ts';

const BERLIN = 'Europe/Berlin';
/** Monday, January 5, 2026 at 09:00 in Berlin. */
const START = new Date('2026-01-05T08:00:00.000Z');

/** Never: the fifth Monday of a month is its 29th, 30th or 31st, never its 1st. */
const NEVER = 'FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1';
/** Almost never: a Monday, February 29 comes every 28 years or so (2044 after 2016). */
const ALMOST_NEVER = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO';

/** Runs `work` and says how long it took, in milliseconds. */
function timed<T>(work: () => T): { value?: T; error?: unknown; ms: number } {
  const started = performance.now();
  try {
    return { value: work(), ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

// The first computation loads time-zone data and compiles rrule; the bounds below are for the walk.
beforeAll(() => {
  occurrencesAfter(parseRecurrenceRule('FREQ=DAILY'), {
    dtstart: START,
    after: START,
    timeZone: BERLIN,
    count: 1,
  });
});

const expectSearchLimit = (error: unknown, max: number) => {
  expect(error).toBeInstanceOf(LimitExceededError);
  expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'recurrenceSearch', max });
};

describe('attack: a rule that never or almost never occurs', () => {
  it.each([
    { rule: NEVER, max: 1250, unit: 'months' },
    { rule: ALMOST_NEVER, max: 5000, unit: 'days' },
  ])(
    'nextOccurrence of $rule is a LimitExceededError within 2 s, naming $max $unit',
    ({ rule, max, unit }) => {
      const { error, ms } = timed(() =>
        nextOccurrence(parseRecurrenceRule(rule), {
          dtstart: START,
          after: START,
          timeZone: BERLIN,
          seriesIndex: 1,
        }),
      );
      expectSearchLimit(error, max);
      expect((error as Error).message).toContain(
        `within ${max} ${unit} after ${START.toISOString()}`,
      );
      expect(ms).toBeLessThan(2000);
    },
  );

  it('occurrencesAfter(count 100) of the rule that never occurs is a LimitExceededError within 2 s', () => {
    const { error, ms } = timed(() =>
      occurrencesAfter(parseRecurrenceRule(NEVER), {
        dtstart: START,
        after: START,
        timeZone: BERLIN,
        count: 100,
      }),
    );
    expectSearchLimit(error, 1250);
    expect(ms).toBeLessThan(2000);
  });

  it('occurrencesAfter(count 100) of the rule that almost never occurs is a LimitExceededError within 2 s', () => {
    const { error, ms } = timed(() =>
      occurrencesAfter(parseRecurrenceRule(ALMOST_NEVER), {
        dtstart: START,
        after: START,
        timeZone: BERLIN,
        count: 100,
      }),
    );
    // 5,000 days from January 2026 reach September 2039; the next Monday, February 29 is in 2044.
    expectSearchLimit(error, 5000);
    expect(ms).toBeLessThan(2000);
  });

  it('planNextInstance (skipOccurrence, the recurring task service) passes the error on', () => {
    const task = {
      dueAt: START,
      timeZone: BERLIN,
      recurrenceRule: NEVER,
      recurrenceAnchor: 'due_date',
      seriesStartAt: START,
      seriesIndex: 1,
      remindBeforeMinutes: null,
      remindAt: null,
    } as unknown as Task;
    const { error, ms } = timed(() => planNextInstance(task, START, START));
    expectSearchLimit(error, 1250);
    expect(ms).toBeLessThan(2000);
  });
});

describe('the search limit', () => {
  it('answers the occurrences found within it when a sparse rule has fewer than count there', () => {
    // February 29 every four years, walked day by day: the search (5,000 days from January
    // 2026, until September 2039) holds three of them.
    const found = occurrencesAfter(parseRecurrenceRule('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29'), {
      dtstart: START,
      after: START,
      timeZone: BERLIN,
      count: 10,
    });
    expect(found.map((date) => date.toISOString())).toEqual([
      '2028-02-29T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
      '2036-02-29T08:00:00.000Z',
    ]);
  });

  it('examines exactly 5,000 days of a daily rule: an occurrence on the 5,000th is found, on the 5,001st not', () => {
    // No Monday is a February 29 from 2016 to 2044: a series that starts on day 1 has its first
    // one on day `days`.
    const monday = Date.parse('2044-02-29T00:00:00.000Z');
    const next = (days: number) => {
      const start = new Date(monday - (days - 1) * 86_400_000);
      return timed(() =>
        nextOccurrence(parseRecurrenceRule(ALMOST_NEVER), {
          dtstart: start,
          after: start,
          timeZone: 'UTC',
          seriesIndex: 1,
        }),
      );
    };
    expect(next(5000).value?.toISOString()).toBe('2044-02-29T00:00:00.000Z');
    expectSearchLimit(next(5001).error, 5000);
  });

  it('a rare date is found decades away when the rule says it by the year', () => {
    const next = nextOccurrence(
      parseRecurrenceRule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO'),
      {
        dtstart: START,
        after: START,
        timeZone: BERLIN,
        seriesIndex: 1,
      },
    );
    expect(next?.toISOString()).toBe('2044-02-29T08:00:00.000Z');
  });
});

describe('attack: a series that started long ago is not walked from its start', () => {
  // The expected dates are what walking each series from its start gives (slowly).
  it.each([
    { rule: 'FREQ=DAILY', expected: '2600-03-02T08:00:00.000Z' },
    { rule: 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH', expected: '2600-03-17T08:00:00.000Z' },
    // 2600-09 is 8372 months, 1196 times 7, after 1903-01.
    { rule: 'FREQ=MONTHLY;INTERVAL=7', expected: '2600-09-05T08:00:00.000Z' },
    { rule: 'FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31', expected: '2600-07-31T08:00:00.000Z' },
    { rule: 'FREQ=YEARLY;INTERVAL=3', expected: '2602-01-05T08:00:00.000Z' },
    { rule: 'FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9;BYDAY=-1FR', expected: '2601-03-27T08:00:00.000Z' },
  ])(
    '$rule from Monday, January 5, 1903, after March 1, 2600: $expected, within 2 s',
    ({ rule, expected }) => {
      const { value, error, ms } = timed(() =>
        nextOccurrence(parseRecurrenceRule(rule), {
          dtstart: new Date('1903-01-05T08:00:00.000Z'),
          after: new Date('2600-03-01T12:00:00.000Z'),
          timeZone: 'UTC',
          seriesIndex: 7,
        }),
      );
      expect(error).toBeUndefined();
      expect(value?.toISOString()).toBe(expected);
      expect(ms).toBeLessThan(2000);
    },
  );
});
