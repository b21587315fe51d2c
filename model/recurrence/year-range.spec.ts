/**
 * Years the system carries (0001-9999) stay themselves in the recurrence code: a year before 100
 * is not read as 19xx, and no occurrence is computed past the last instant an event can carry.
 */
import { nextOccurrence, occurrencesAfter } from './occurrences.ts';
import { formatRecurrenceRule, parseRecurrenceRule, RecurrenceRuleError } from './rule.ts';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

const after = (rule: string, dtstart: string, timeZone: string, count: number, from = dtstart) =>
  iso(
    occurrencesAfter(parseRecurrenceRule(rule), {
      dtstart: new Date(dtstart),
      after: new Date(from),
      timeZone,
      count,
    }),
  );

const next = (rule: string, dtstart: string, timeZone: string, from = dtstart) =>
  nextOccurrence(parseRecurrenceRule(rule), {
    dtstart: new Date(dtstart),
    after: new Date(from),
    timeZone,
    seriesIndex: 1,
  })?.toISOString() ?? null;

describe('fault: two-digit years came back as 19xx from the recurrence code', () => {
  // Wednesday, January 5, 0050 (proleptic Gregorian calendar, as JavaScript and PostgreSQL count).
  const WEDNESDAY_0050 = '0050-01-05T08:00:00.000Z';

  it.each([
    {
      rule: 'FREQ=DAILY',
      expected: ['0050-01-06T08:00:00.000Z', '0050-01-07T08:00:00.000Z'],
    },
    {
      rule: 'FREQ=WEEKLY;BYDAY=MO',
      expected: [
        '0050-01-10T08:00:00.000Z',
        '0050-01-17T08:00:00.000Z',
        '0050-01-24T08:00:00.000Z',
      ],
    },
    {
      // The last Fridays of January and February 0050 (not a leap year).
      rule: 'FREQ=MONTHLY;BYDAY=-1FR',
      expected: ['0050-01-28T08:00:00.000Z', '0050-02-25T08:00:00.000Z'],
    },
    {
      rule: 'FREQ=DAILY;UNTIL=00500107',
      expected: ['0050-01-06T08:00:00.000Z', '0050-01-07T08:00:00.000Z'],
    },
    {
      rule: 'FREQ=DAILY;UNTIL=00500106T080000Z',
      expected: ['0050-01-06T08:00:00.000Z'],
    },
  ])('$rule from Wednesday, January 5, 0050 stays in the year 0050', ({ rule, expected }) => {
    // A series with UNTIL is asked for more than it has, to see its end too.
    const count = rule.includes('UNTIL') ? 10 : expected.length;
    expect(after(rule, WEDNESDAY_0050, 'UTC', count)).toEqual(expected);
  });

  it('a yearly series crosses from the year 99 into the year 100', () => {
    expect(next('FREQ=YEARLY', '0099-06-15T12:00:00.000Z', 'UTC')).toBe('0100-06-15T12:00:00.000Z');
  });

  it('the first day the system carries starts a series like any other', () => {
    expect(after('FREQ=DAILY', '0001-01-02T00:00:00.000Z', 'UTC', 2)).toEqual([
      '0001-01-03T00:00:00.000Z',
      '0001-01-04T00:00:00.000Z',
    ]);
  });

  it.each([
    ['FREQ=DAILY;UNTIL=00500107', 'FREQ=DAILY;UNTIL=00500107'],
    ['FREQ=DAILY;UNTIL=00010102T000000Z', 'FREQ=DAILY;UNTIL=00010102T000000Z'],
  ])('accepts UNTIL in a year before 100: %s', (text, canonical) => {
    expect(formatRecurrenceRule(parseRecurrenceRule(text))).toBe(canonical);
  });

  it('refuses UNTIL in the year 0000, naming the range', () => {
    expect(() => parseRecurrenceRule('FREQ=DAILY;UNTIL=00000101')).toThrow(RecurrenceRuleError);
    expect(() => parseRecurrenceRule('FREQ=DAILY;UNTIL=00000101')).toThrow(
      /UNTIL must be in the years 0001-9999/,
    );
  });
});

describe('fault: occurrences past the year 9999 (in UTC or in the zone) were computed', () => {
  it('a daily series in New York ends before its wall-clock time would be in the year 10000 in UTC', () => {
    // 20:00 in New York is 01:00 UTC the next day: December 30 is the last day that fits.
    const start = '9999-12-29T01:00:00.000Z';
    expect(after('FREQ=DAILY', start, 'America/New_York', 5)).toEqual(['9999-12-30T01:00:00.000Z']);
    expect(next('FREQ=DAILY', start, 'America/New_York', '9999-12-30T01:00:00.000Z')).toBeNull();
  });

  it('a daily series in Tokyo ends at the last instant the system carries (9999-12-30 in UTC)', () => {
    const start = '9999-12-29T00:00:00.000Z'; // 09:00 in Tokyo
    expect(after('FREQ=DAILY', start, 'Asia/Tokyo', 5)).toEqual(['9999-12-30T00:00:00.000Z']);
  });
});
