import {
  BERLIN,
  DST_CHANGES,
  NEW_YORK,
  RFC_EXAMPLES,
  RULE_PARTS,
  UNTIL_FORMS,
} from '../../test/recurrence-cases.ts';
import { nextOccurrence, occurrencesAfter } from './occurrences.ts';
import { parseRecurrenceRule } from './rule.ts';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

/** A series' start and time zone, and the moment asked about, as ISO strings. */
interface At {
  dtstart: string;
  timeZone: string;
  after: string;
}

const dates = (at: At) => ({
  dtstart: new Date(at.dtstart),
  timeZone: at.timeZone,
  after: new Date(at.after),
});

/** The occurrences after `after` as ISO strings. */
const after = (text: string, at: At & { count: number }): string[] =>
  iso(occurrencesAfter(parseRecurrenceRule(text), { ...dates(at), count: at.count }));

/** The next instance as an ISO string, or null. */
const next = (text: string, at: At & { seriesIndex: number }): string | null =>
  nextOccurrence(parseRecurrenceRule(text), {
    ...dates(at),
    seriesIndex: at.seriesIndex,
  })?.toISOString() ?? null;

/**
 * The series from its start, up to `limit` occurrences, read 100 at a time with
 * occurrencesAfter (which is what a client paging through a series does).
 */
function series(text: string, dtstart: string, timeZone: string, limit: number): string[] {
  const rule = parseRecurrenceRule(text);
  const found: Date[] = [];
  let from = new Date(new Date(dtstart).getTime() - 1);
  while (found.length < limit) {
    const count = Math.min(100, limit - found.length);
    const page = occurrencesAfter(rule, {
      dtstart: new Date(dtstart),
      timeZone,
      after: from,
      count,
    });
    found.push(...page);
    if (page.length < count) break;
    from = page[page.length - 1]!;
  }
  return iso(found);
}

/**
 * A row of the tables below and of the shared ones: a rule, its dtstart and time zone, and the
 * moment `after` (when left out, dtstart itself). With `seriesIndex`, what nextOccurrence answers
 * for that instance of the series is `expected`; without, what occurrencesAfter answers when asked
 * for `count` (when left out, as many as `expected` has).
 */
type Row = { name: string; rule: string; dtstart: string; timeZone: string; after?: string } & (
  { seriesIndex: number; expected: string | null } | { count?: number; expected: string[] }
);

function check(row: Row): void {
  const at = { dtstart: row.dtstart, timeZone: row.timeZone, after: row.after ?? row.dtstart };
  if ('seriesIndex' in row) {
    expect(next(row.rule, { ...at, seriesIndex: row.seriesIndex })).toBe(row.expected);
  } else {
    const count = row.count ?? row.expected.length;
    expect(after(row.rule, { ...at, count })).toEqual(row.expected);
  }
}

describe('occurrences: RFC 5545 section 3.8.5.3 examples', () => {
  it.each(RFC_EXAMPLES)('$name (DTSTART $dtstart, $rule)', ({ dtstart, rule, expected, ends }) => {
    // For a series that ends, ask for more than it has: the end must be exact too.
    const limit = ends ? expected.length + 50 : expected.length;
    expect(series(rule, dtstart, NEW_YORK, limit)).toEqual(expected);
  });
});

/** Monday, January 6, 2025 at 09:00 in Berlin. */
const MONDAY = { dtstart: '2025-01-06T08:00:00.000Z', timeZone: BERLIN };
/** Friday, January 31, 2025 at 09:00 in Berlin. */
const JANUARY_31 = { dtstart: '2025-01-31T08:00:00.000Z', timeZone: BERLIN };
const FEBRUARY_29 = 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29';

const FREQUENCIES: Row[] = [
  {
    ...MONDAY,
    name: 'WEEKLY;BYDAY=MO,WE,FR',
    rule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    after: '2025-01-01T00:00:00.000Z',
    expected: [
      '2025-01-06T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
      '2025-01-10T08:00:00.000Z',
      '2025-01-13T08:00:00.000Z',
      '2025-01-15T08:00:00.000Z',
      '2025-01-17T08:00:00.000Z',
    ],
  },
  {
    ...JANUARY_31,
    name: 'MONTHLY;BYMONTHDAY=31 skips the months without a 31st',
    rule: 'FREQ=MONTHLY;BYMONTHDAY=31',
    after: '2025-01-01T00:00:00.000Z',
    expected: [
      '2025-01-31T08:00:00.000Z',
      '2025-03-31T07:00:00.000Z', // summer time began on March 30
      '2025-05-31T07:00:00.000Z',
      '2025-07-31T07:00:00.000Z',
      '2025-08-31T07:00:00.000Z',
      '2025-10-31T08:00:00.000Z', // winter time again since October 26
      '2025-12-31T08:00:00.000Z',
    ],
  },
  {
    ...JANUARY_31,
    name: 'MONTHLY;BYDAY=-1FR is the last Friday of each month',
    rule: 'FREQ=MONTHLY;BYDAY=-1FR',
    after: '2025-01-01T00:00:00.000Z',
    expected: [
      '2025-01-31T08:00:00.000Z',
      '2025-02-28T08:00:00.000Z',
      '2025-03-28T08:00:00.000Z',
      '2025-04-25T07:00:00.000Z',
      '2025-05-30T07:00:00.000Z',
      '2025-06-27T07:00:00.000Z',
    ],
  },
  {
    name: 'YEARLY;BYMONTH=2;BYMONTHDAY=29 occurs only in leap years: after 2096 comes 2104',
    rule: FEBRUARY_29,
    dtstart: '2024-02-29T08:00:00.000Z',
    timeZone: BERLIN,
    after: '2097-01-01T00:00:00.000Z',
    seriesIndex: 19,
    expected: '2104-02-29T08:00:00.000Z',
  },
  {
    // Said with FREQ=DAILY it is beyond the search (see search-limit.spec.ts).
    ...MONDAY,
    name: 'finds a rare occurrence decades away (Monday, February 29, by the year)',
    rule: 'FREQ=YEARLY;BYDAY=MO;BYMONTH=2;BYMONTHDAY=29',
    seriesIndex: 1,
    expected: '2044-02-29T08:00:00.000Z',
  },
];

describe('occurrences: frequencies and rule parts', () => {
  it.each([...RULE_PARTS, ...FREQUENCIES])('$name', check);

  it('a sparse series still gives all 100 occurrences asked for (February 29 until 2436)', () => {
    const start = '2025-01-10T08:00:00.000Z';
    const found = after(FEBRUARY_29, {
      dtstart: start,
      timeZone: BERLIN,
      after: start,
      count: 100,
    });
    // 2028-2096: 18, 2104-2196: 24 (2100 is no leap year), 2204-2296: 24, 2304-2396: 24,
    // 2400: 1 (it is one), 2404-2436: 9.
    expect(found).toHaveLength(100);
    expect(found.slice(17, 19)).toEqual(['2096-02-29T08:00:00.000Z', '2104-02-29T08:00:00.000Z']);
    expect(found.at(-1)).toBe('2436-02-29T08:00:00.000Z');
  });
});

/** A series of 3 from Monday, January 6, 2025 at 09:00 in Berlin. */
const THREE = { ...MONDAY, rule: 'FREQ=DAILY;COUNT=3' };

const COUNTS: Row[] = [
  {
    ...THREE,
    name: 'nextOccurrence after instance 1 of a series of 3 is its second date',
    seriesIndex: 1,
    expected: '2025-01-07T08:00:00.000Z',
  },
  {
    ...THREE,
    name: 'nextOccurrence after instance 2 of a series of 3 is its third date',
    after: '2025-01-07T08:00:00.000Z',
    seriesIndex: 2,
    expected: '2025-01-08T08:00:00.000Z',
  },
  {
    ...THREE,
    name: 'nextOccurrence returns null after instance 3 of a series of 3',
    after: '2025-01-08T08:00:00.000Z',
    seriesIndex: 3,
    expected: null,
  },
  {
    ...THREE,
    name: 'nextOccurrence returns null after instance 3 of a series of 3, even when completed early',
    after: '2025-01-06T09:00:00.000Z',
    seriesIndex: 3,
    expected: null,
  },
  {
    ...THREE,
    name: 'nextOccurrence returns null after instance 4 of a series of 3',
    seriesIndex: 4,
    expected: null,
  },
  {
    // Instance 2 is completed on January 20, after the third date of the series.
    ...THREE,
    name: 'nextOccurrence counts instances, not dates: a late completion does not end the series',
    after: '2025-01-20T12:00:00.000Z',
    seriesIndex: 2,
    expected: '2025-01-21T08:00:00.000Z',
  },
  {
    ...THREE,
    name: 'occurrencesAfter never returns more than the COUNT total',
    after: '2025-01-01T00:00:00.000Z',
    count: 100,
    expected: ['2025-01-06T08:00:00.000Z', '2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z'],
  },
  {
    ...THREE,
    name: 'occurrencesAfter returns nothing after the last of a COUNT series',
    after: '2025-01-08T08:00:00.000Z',
    count: 100,
    expected: [],
  },
];

describe('occurrences: COUNT', () => {
  it.each(COUNTS)('$name', check);
});

/** Daily from Monday, January 6, 2025 at 09:00 in Berlin, all of it from January 1. */
const ALL_FROM_MONDAY = { ...MONDAY, after: '2025-01-01T00:00:00.000Z', count: 100 };

const UNTILS: Row[] = [
  {
    // 23:30 in Berlin on January 8 is 22:30 UTC: still January 8 locally.
    ...ALL_FROM_MONDAY,
    name: 'YYYYMMDD includes the whole local day (east of UTC)',
    rule: 'FREQ=DAILY;UNTIL=20250108',
    dtstart: '2025-01-06T22:30:00.000Z',
    expected: ['2025-01-06T22:30:00.000Z', '2025-01-07T22:30:00.000Z', '2025-01-08T22:30:00.000Z'],
  },
  {
    // West of UTC: 21:00 in New York on January 8 is 02:00 UTC on January 9.
    ...ALL_FROM_MONDAY,
    name: 'YYYYMMDD includes the whole local day (west of UTC)',
    rule: 'FREQ=DAILY;UNTIL=20250108',
    dtstart: '2025-01-07T02:00:00.000Z',
    timeZone: NEW_YORK,
    expected: ['2025-01-07T02:00:00.000Z', '2025-01-08T02:00:00.000Z', '2025-01-09T02:00:00.000Z'],
  },
  {
    ...ALL_FROM_MONDAY,
    name: 'YYYYMMDDTHHMMSS is wall-clock time in the task time zone, inclusive (09:00:00)',
    rule: 'FREQ=DAILY;UNTIL=20250108T090000',
    expected: ['2025-01-06T08:00:00.000Z', '2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z'],
  },
  {
    ...ALL_FROM_MONDAY,
    name: 'YYYYMMDDTHHMMSS is wall-clock time in the task time zone, inclusive (08:59:59)',
    rule: 'FREQ=DAILY;UNTIL=20250108T085959',
    expected: ['2025-01-06T08:00:00.000Z', '2025-01-07T08:00:00.000Z'],
  },
  {
    ...ALL_FROM_MONDAY,
    name: 'YYYYMMDDTHHMMSSZ is a UTC instant, inclusive (08:00:00Z)',
    rule: 'FREQ=DAILY;UNTIL=20250108T080000Z',
    expected: ['2025-01-06T08:00:00.000Z', '2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z'],
  },
  {
    ...ALL_FROM_MONDAY,
    name: 'YYYYMMDDTHHMMSSZ is a UTC instant, inclusive (07:59:59Z)',
    rule: 'FREQ=DAILY;UNTIL=20250108T075959Z',
    expected: ['2025-01-06T08:00:00.000Z', '2025-01-07T08:00:00.000Z'],
  },
  {
    // 01:30 on November 2, 2025 in New York is 05:30 UTC (EDT), before UNTIL = 01:00 EST.
    name: 'a UTC UNTIL is compared as an instant even where wall-clock time repeats',
    rule: 'FREQ=DAILY;UNTIL=20251102T060000Z',
    dtstart: '2025-10-31T05:30:00.000Z',
    timeZone: NEW_YORK,
    after: '2025-10-01T00:00:00.000Z',
    count: 100,
    expected: ['2025-10-31T05:30:00.000Z', '2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z'],
  },
];

describe('occurrences: UNTIL', () => {
  it.each([...UNTIL_FORMS, ...UNTILS])('$name', check);

  it.each([{ until: '20250108' }, { until: '20250108T090000' }, { until: '20250108T080000Z' }])(
    'nextOccurrence returns null after UNTIL=$until',
    ({ until }) => {
      const at = (after: string) =>
        next(`FREQ=DAILY;UNTIL=${until}`, { ...MONDAY, after, seriesIndex: 1 });
      expect(at('2025-01-07T08:00:00.000Z')).toBe('2025-01-08T08:00:00.000Z');
      expect(at('2025-01-08T08:00:00.000Z')).toBeNull();
      expect(at('2025-03-01T00:00:00.000Z')).toBeNull();
    },
  );
});

/** 09:00 daily in Berlin, and in New York. */
const BERLIN_9AM = { rule: 'FREQ=DAILY', dtstart: '2025-03-01T08:00:00.000Z', timeZone: BERLIN };
const NY_9AM = { rule: 'FREQ=DAILY', dtstart: '2025-01-06T14:00:00.000Z', timeZone: NEW_YORK };

const DAYLIGHT_SAVING: Row[] = [
  {
    ...BERLIN_9AM,
    name: '09:00 daily in Europe/Berlin across the spring change (March 30, 2025)',
    after: '2025-03-28T12:00:00.000Z',
    expected: ['2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z'],
  },
  {
    ...BERLIN_9AM,
    name: '09:00 daily in Europe/Berlin across the autumn change (October 26, 2025)',
    after: '2025-10-24T12:00:00.000Z',
    expected: ['2025-10-25T07:00:00.000Z', '2025-10-26T08:00:00.000Z', '2025-10-27T08:00:00.000Z'],
  },
  {
    ...NY_9AM,
    name: '09:00 daily in America/New_York across the spring change (March 9, 2025)',
    after: '2025-03-07T20:00:00.000Z',
    expected: ['2025-03-08T14:00:00.000Z', '2025-03-09T13:00:00.000Z', '2025-03-10T13:00:00.000Z'],
  },
  {
    ...NY_9AM,
    name: '09:00 daily in America/New_York across the autumn change (November 2, 2025)',
    after: '2025-10-31T20:00:00.000Z',
    expected: ['2025-11-01T13:00:00.000Z', '2025-11-02T14:00:00.000Z', '2025-11-03T14:00:00.000Z'],
  },
  {
    // 02:30 in New York does not exist on March 9, 2025: it is 03:30 EDT (07:30 UTC).
    name: 'a time that does not exist on the spring-forward day moves forward by the gap (New York)',
    rule: 'FREQ=WEEKLY',
    dtstart: '2025-03-02T07:30:00.000Z', // Sunday 02:30 EST
    timeZone: NEW_YORK,
    seriesIndex: 1,
    expected: '2025-03-09T07:30:00.000Z',
  },
  {
    name: 'a time moved forward by the gap (03:30 EDT) is after 03:00 EDT, though 02:30 is before it',
    rule: 'FREQ=DAILY',
    dtstart: '2025-03-02T07:30:00.000Z',
    timeZone: NEW_YORK,
    after: '2025-03-09T07:00:00.000Z',
    seriesIndex: 1,
    expected: '2025-03-09T07:30:00.000Z',
  },
];

describe('occurrences: daylight saving time', () => {
  it.each([...DST_CHANGES, ...DAYLIGHT_SAVING])('$name', check);

  it.each([
    { hostZone: 'Australia/Sydney' },
    { hostZone: 'America/Los_Angeles' },
    { hostZone: 'Asia/Kolkata' },
  ])('does not depend on the time zone of the host ($hostZone)', ({ hostZone }) => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = hostZone;
      check(DAYLIGHT_SAVING[0]!); // 09:00 daily in Berlin across the spring change
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

/** A daily task due on Monday, June 2, 2025 at 09:00 in Berlin (07:00 UTC). */
const DUE = { rule: 'FREQ=DAILY', dtstart: '2025-06-02T07:00:00.000Z', timeZone: BERLIN };
/** A task without a due date, completed on Thursday, June 5, 2025 at 15:37:12 in Berlin. */
const COMPLETED = { dtstart: '2025-06-05T13:37:12.000Z', timeZone: BERLIN };

const ANCHORS: Row[] = [
  {
    ...DUE,
    name: 'after the due date, the next instance is the first occurrence after it',
    seriesIndex: 1,
    expected: '2025-06-03T07:00:00.000Z',
  },
  {
    // Completed on Thursday at 15:37 Berlin time: next is Friday 09:00, not Friday 15:37.
    ...DUE,
    name: 'a late completion skips what is past and keeps the time of day (no drift)',
    after: '2025-06-05T13:37:00.000Z',
    seriesIndex: 1,
    expected: '2025-06-06T07:00:00.000Z',
  },
  {
    ...DUE,
    name: 'a late completion of a weekly Monday task on Wednesday: next due the following Monday',
    rule: 'FREQ=WEEKLY',
    after: '2025-06-04T10:00:00.000Z',
    seriesIndex: 1,
    expected: '2025-06-09T07:00:00.000Z',
  },
  {
    ...DUE,
    name: 'a completion exactly at an occurrence moves on to the one after it',
    after: '2025-06-04T07:00:00.000Z',
    seriesIndex: 2,
    expected: '2025-06-05T07:00:00.000Z',
  },
  {
    ...COMPLETED,
    name: 'without a due date, the completion time anchors the series (daily)',
    rule: 'FREQ=DAILY',
    seriesIndex: 1,
    expected: '2025-06-06T13:37:12.000Z',
  },
  {
    ...COMPLETED,
    name: 'without a due date, the completion time anchors the series (weekly on Mondays)',
    rule: 'FREQ=WEEKLY;BYDAY=MO',
    seriesIndex: 1,
    expected: '2025-06-09T13:37:12.000Z',
  },
  {
    ...DUE,
    name: 'after a moment before dtstart, the first occurrence is dtstart itself',
    after: '2025-01-01T00:00:00.000Z',
    expected: [DUE.dtstart],
  },
];

describe('occurrences: the anchor', () => {
  it.each(ANCHORS)('$name', check);
});

describe('occurrences: rules that never occur, and arguments', () => {
  it.each([
    { rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' },
    { rule: 'FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31' },
    { rule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,31' },
    { rule: 'FREQ=DAILY;INTERVAL=7;BYDAY=TU' },
    { rule: 'FREQ=WEEKLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=-30' },
    { rule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29' },
    { rule: 'FREQ=MONTHLY;INTERVAL=12;BYMONTH=3' },
    { rule: 'FREQ=MONTHLY;BYDAY=6MO' },
    { rule: 'FREQ=YEARLY;BYMONTH=2;BYDAY=-6FR,7SA' },
  ])('$rule returns [] and null quickly', ({ rule }) => {
    const started = Date.now();
    expect(after(rule, { ...MONDAY, after: '2025-01-01T00:00:00.000Z', count: 100 })).toEqual([]);
    expect(next(rule, { ...MONDAY, after: '2025-01-01T00:00:00.000Z', seriesIndex: 1 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  const opts = { ...MONDAY, after: MONDAY.dtstart, count: 1, seriesIndex: 1 };

  it('count: 0 gives [], 100 gives 100', () => {
    expect(after('FREQ=DAILY', { ...opts, count: 0 })).toEqual([]);
    expect(after('FREQ=DAILY', { ...opts, count: 100 })).toHaveLength(100);
  });

  it.each([
    { fn: 'occurrencesAfter', name: 'count 101', change: { count: 101 } },
    { fn: 'occurrencesAfter', name: 'count -1', change: { count: -1 } },
    { fn: 'occurrencesAfter', name: 'count 1.5', change: { count: 1.5 } },
    { fn: 'occurrencesAfter', name: 'count NaN', change: { count: Number.NaN } },
    { fn: 'nextOccurrence', name: 'seriesIndex 0', change: { seriesIndex: 0 } },
    { fn: 'nextOccurrence', name: 'an unknown time zone', change: { timeZone: 'Mars/Olympus' } },
    { fn: 'nextOccurrence', name: 'an invalid after', change: { after: 'not a date' } },
    { fn: 'occurrencesAfter', name: 'an invalid dtstart', change: { dtstart: 'not a date' } },
  ])('$fn with $name is a RangeError', ({ fn, change }) => {
    const call = fn === 'occurrencesAfter' ? after : next;
    expect(() => call('FREQ=DAILY', { ...opts, ...change })).toThrow(RangeError);
  });
});
