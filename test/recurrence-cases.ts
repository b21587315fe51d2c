/**
 * Recurrence cases that both the domain (`model/recurrence/occurrences.spec.ts`) and the GraphQL
 * API (`schema/recurrence-preview.spec.ts`) are tested against: each row once, checked in both.
 *
 * Every expected list is written out as UTC instants, worked out by hand from the calendar and the
 * zones' DST rules, not computed with the time-zone library the code under test uses.
 */

export const BERLIN = 'Europe/Berlin';
export const NEW_YORK = 'America/New_York';

/** ISO instants from `first` to `last` inclusive, `days` × 24 hours apart (no time zones). */
export function every(days: number, first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += days * 86_400_000) {
    out.push(new Date(t).toISOString());
  }
  return out;
}

/** One example of RFC 5545 section 3.8.5.3, in America/New_York. */
export interface RfcExample {
  /** The RFC's title of the example. */
  name: string;
  /** DTSTART;TZID=America/New_York, with its UTC offset. */
  dtstart: string;
  rule: string;
  /** Whether the series ends (COUNT or UNTIL); for one without end, `expected` is its beginning. */
  ends: boolean;
  /** The RFC's occurrences from DTSTART on, as UTC instants. */
  expected: string[];
  /**
   * How many occurrences the GraphQL preview of a series without end asks for (default: all of
   * `expected` after DTSTART); the preview of one that ends asks for 100.
   */
  previewCount?: number;
}

/** 09:00 EST on every day of January 1998, 1999 and 2000. */
const EVERY_DAY_IN_JANUARY_1998_TO_2000 = [
  ...every(1, '1998-01-01T14:00:00.000Z', '1998-01-31T14:00:00.000Z'),
  ...every(1, '1999-01-01T14:00:00.000Z', '1999-01-31T14:00:00.000Z'),
  ...every(1, '2000-01-01T14:00:00.000Z', '2000-01-31T14:00:00.000Z'),
];

/** 09:00 EDT on the Tuesdays and Thursdays of the five weeks from September 2, 1997. */
const TUESDAYS_AND_THURSDAYS_FOR_FIVE_WEEKS = [
  '1997-09-02T13:00:00.000Z',
  '1997-09-04T13:00:00.000Z',
  '1997-09-09T13:00:00.000Z',
  '1997-09-11T13:00:00.000Z',
  '1997-09-16T13:00:00.000Z',
  '1997-09-18T13:00:00.000Z',
  '1997-09-23T13:00:00.000Z',
  '1997-09-25T13:00:00.000Z',
  '1997-09-30T13:00:00.000Z',
  '1997-10-02T13:00:00.000Z',
];

/** 09:00 on the first Friday of the ten months from September 1997. */
const FIRST_FRIDAYS = [
  '1997-09-05T13:00:00.000Z',
  '1997-10-03T13:00:00.000Z',
  '1997-11-07T14:00:00.000Z',
  '1997-12-05T14:00:00.000Z',
  '1998-01-02T14:00:00.000Z',
  '1998-02-06T14:00:00.000Z',
  '1998-03-06T14:00:00.000Z',
  '1998-04-03T14:00:00.000Z',
  '1998-05-01T13:00:00.000Z',
  '1998-06-05T13:00:00.000Z',
];

/**
 * The examples of RFC 5545 section 3.8.5.3 that use only the allowed rule parts (no BYYEARDAY,
 * BYWEEKNO, BYSETPOS, BYHOUR, BYMINUTE, HOURLY or MINUTELY; WKST=SU is left out where it makes no
 * difference, since only the default WKST=MO is allowed), in America/New_York, with the RFC's
 * expected wall-clock times written as UTC instants (EDT is UTC-4, EST is UTC-5; in 1997 DST
 * ended on October 26, in 1998 it began on April 5, in 1999 on April 4; since 2007 it runs from
 * the second Sunday of March to the first Sunday of November). For a series without an end, the
 * RFC's list is its beginning.
 */
export const RFC_EXAMPLES: RfcExample[] = [
  {
    name: 'Daily for 10 occurrences',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=DAILY;COUNT=10',
    ends: true,
    expected: every(1, '1997-09-02T13:00:00.000Z', '1997-09-11T13:00:00.000Z'),
  },
  {
    name: 'Daily until December 24, 1997',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=DAILY;UNTIL=19971224T000000Z',
    ends: true,
    expected: [
      ...every(1, '1997-09-02T13:00:00.000Z', '1997-10-25T13:00:00.000Z'),
      ...every(1, '1997-10-26T14:00:00.000Z', '1997-12-23T14:00:00.000Z'),
    ],
  },
  {
    name: 'Every other day - forever',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=DAILY;INTERVAL=2',
    ends: false,
    previewCount: 30,
    expected: [
      ...every(2, '1997-09-02T13:00:00.000Z', '1997-10-24T13:00:00.000Z'),
      ...every(2, '1997-10-26T14:00:00.000Z', '1997-11-05T14:00:00.000Z'),
    ],
  },
  {
    name: 'Every 10 days, 5 occurrences',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=DAILY;INTERVAL=10;COUNT=5',
    ends: true,
    expected: [
      '1997-09-02T13:00:00.000Z',
      '1997-09-12T13:00:00.000Z',
      '1997-09-22T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-12T13:00:00.000Z',
    ],
  },
  {
    name: 'Every day in January, for 3 years (YEARLY form)',
    dtstart: '1998-01-01T09:00:00-05:00',
    rule: 'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
    ends: true,
    expected: EVERY_DAY_IN_JANUARY_1998_TO_2000,
  },
  {
    name: 'Every day in January, for 3 years (DAILY form)',
    dtstart: '1998-01-01T09:00:00-05:00',
    rule: 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1',
    ends: true,
    expected: EVERY_DAY_IN_JANUARY_1998_TO_2000,
  },
  {
    name: 'Weekly for 10 occurrences',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;COUNT=10',
    ends: true,
    expected: [
      ...every(7, '1997-09-02T13:00:00.000Z', '1997-10-21T13:00:00.000Z'),
      ...every(7, '1997-10-28T14:00:00.000Z', '1997-11-04T14:00:00.000Z'),
    ],
  },
  {
    name: 'Weekly until December 24, 1997',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;UNTIL=19971224T000000Z',
    ends: true,
    expected: [
      ...every(7, '1997-09-02T13:00:00.000Z', '1997-10-21T13:00:00.000Z'),
      ...every(7, '1997-10-28T14:00:00.000Z', '1997-12-23T14:00:00.000Z'),
    ],
  },
  {
    name: 'Every other week - forever (WKST=SU left out: no BYDAY, so it changes nothing)',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;INTERVAL=2',
    ends: false,
    expected: [
      ...every(14, '1997-09-02T13:00:00.000Z', '1997-10-14T13:00:00.000Z'),
      ...every(14, '1997-10-28T14:00:00.000Z', '1998-02-17T14:00:00.000Z'),
    ],
  },
  {
    name: 'Weekly on Tuesday and Thursday for five weeks (UNTIL)',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;UNTIL=19971007T000000Z;BYDAY=TU,TH',
    ends: true,
    expected: TUESDAYS_AND_THURSDAYS_FOR_FIVE_WEEKS,
  },
  {
    name: 'Weekly on Tuesday and Thursday for five weeks (COUNT)',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;COUNT=10;BYDAY=TU,TH',
    ends: true,
    expected: TUESDAYS_AND_THURSDAYS_FOR_FIVE_WEEKS,
  },
  {
    name: 'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    dtstart: '1997-09-01T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;BYDAY=MO,WE,FR',
    ends: true,
    expected: [
      '1997-09-01T13:00:00.000Z',
      '1997-09-03T13:00:00.000Z',
      '1997-09-05T13:00:00.000Z',
      '1997-09-15T13:00:00.000Z',
      '1997-09-17T13:00:00.000Z',
      '1997-09-19T13:00:00.000Z',
      '1997-09-29T13:00:00.000Z',
      '1997-10-01T13:00:00.000Z',
      '1997-10-03T13:00:00.000Z',
      '1997-10-13T13:00:00.000Z',
      '1997-10-15T13:00:00.000Z',
      '1997-10-17T13:00:00.000Z',
      '1997-10-27T14:00:00.000Z',
      '1997-10-29T14:00:00.000Z',
      '1997-10-31T14:00:00.000Z',
      '1997-11-10T14:00:00.000Z',
      '1997-11-12T14:00:00.000Z',
      '1997-11-14T14:00:00.000Z',
      '1997-11-24T14:00:00.000Z',
      '1997-11-26T14:00:00.000Z',
      '1997-11-28T14:00:00.000Z',
      '1997-12-08T14:00:00.000Z',
      '1997-12-10T14:00:00.000Z',
      '1997-12-12T14:00:00.000Z',
      '1997-12-22T14:00:00.000Z',
    ],
  },
  {
    name: 'Every other week on Tuesday and Thursday, for 8 occurrences',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,TH',
    ends: true,
    expected: [
      '1997-09-02T13:00:00.000Z',
      '1997-09-04T13:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-18T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-14T13:00:00.000Z',
      '1997-10-16T13:00:00.000Z',
    ],
  },
  {
    name: 'Monthly on the first Friday for 10 occurrences',
    dtstart: '1997-09-05T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
    ends: true,
    expected: FIRST_FRIDAYS,
  },
  {
    name: 'Monthly on the first Friday until December 24, 1997',
    dtstart: '1997-09-05T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR',
    ends: true,
    expected: FIRST_FRIDAYS.slice(0, 4),
  },
  {
    name: 'Every other month on the first and last Sunday of the month for 10 occurrences',
    dtstart: '1997-09-07T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
    ends: true,
    expected: [
      '1997-09-07T13:00:00.000Z',
      '1997-09-28T13:00:00.000Z',
      '1997-11-02T14:00:00.000Z',
      '1997-11-30T14:00:00.000Z',
      '1998-01-04T14:00:00.000Z',
      '1998-01-25T14:00:00.000Z',
      '1998-03-01T14:00:00.000Z',
      '1998-03-29T14:00:00.000Z',
      '1998-05-03T13:00:00.000Z',
      '1998-05-31T13:00:00.000Z',
    ],
  },
  {
    name: 'Monthly on the second-to-last Monday of the month for 6 months',
    dtstart: '1997-09-22T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
    ends: true,
    expected: [
      '1997-09-22T13:00:00.000Z',
      '1997-10-20T13:00:00.000Z',
      '1997-11-17T14:00:00.000Z',
      '1997-12-22T14:00:00.000Z',
      '1998-01-19T14:00:00.000Z',
      '1998-02-16T14:00:00.000Z',
    ],
  },
  {
    name: 'Monthly on the third-to-the-last day of the month, forever',
    dtstart: '1997-09-28T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;BYMONTHDAY=-3',
    ends: false,
    expected: [
      '1997-09-28T13:00:00.000Z',
      '1997-10-29T14:00:00.000Z',
      '1997-11-28T14:00:00.000Z',
      '1997-12-29T14:00:00.000Z',
      '1998-01-29T14:00:00.000Z',
      '1998-02-26T14:00:00.000Z',
    ],
  },
  {
    name: 'Monthly on the 2nd and 15th of the month for 10 occurrences',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
    ends: true,
    expected: [
      '1997-09-02T13:00:00.000Z',
      '1997-09-15T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-15T13:00:00.000Z',
      '1997-11-02T14:00:00.000Z',
      '1997-11-15T14:00:00.000Z',
      '1997-12-02T14:00:00.000Z',
      '1997-12-15T14:00:00.000Z',
      '1998-01-02T14:00:00.000Z',
      '1998-01-15T14:00:00.000Z',
    ],
  },
  {
    name: 'Monthly on the first and last day of the month for 10 occurrences',
    dtstart: '1997-09-30T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
    ends: true,
    expected: [
      '1997-09-30T13:00:00.000Z',
      '1997-10-01T13:00:00.000Z',
      '1997-10-31T14:00:00.000Z',
      '1997-11-01T14:00:00.000Z',
      '1997-11-30T14:00:00.000Z',
      '1997-12-01T14:00:00.000Z',
      '1997-12-31T14:00:00.000Z',
      '1998-01-01T14:00:00.000Z',
      '1998-01-31T14:00:00.000Z',
      '1998-02-01T14:00:00.000Z',
    ],
  },
  {
    name: 'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    dtstart: '1997-09-10T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
    ends: true,
    expected: [
      '1997-09-10T13:00:00.000Z',
      '1997-09-11T13:00:00.000Z',
      '1997-09-12T13:00:00.000Z',
      '1997-09-13T13:00:00.000Z',
      '1997-09-14T13:00:00.000Z',
      '1997-09-15T13:00:00.000Z',
      '1999-03-10T14:00:00.000Z',
      '1999-03-11T14:00:00.000Z',
      '1999-03-12T14:00:00.000Z',
      '1999-03-13T14:00:00.000Z',
    ],
  },
  {
    name: 'Every Tuesday, every other month',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
    ends: false,
    expected: [
      ...every(7, '1997-09-02T13:00:00.000Z', '1997-09-30T13:00:00.000Z'),
      ...every(7, '1997-11-04T14:00:00.000Z', '1997-11-25T14:00:00.000Z'),
      ...every(7, '1998-01-06T14:00:00.000Z', '1998-01-27T14:00:00.000Z'),
      ...every(7, '1998-03-03T14:00:00.000Z', '1998-03-31T14:00:00.000Z'),
    ],
  },
  {
    name: 'Yearly in June and July for 10 occurrences',
    dtstart: '1997-06-10T09:00:00-04:00',
    rule: 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
    ends: true,
    expected: [
      '1997-06-10T13:00:00.000Z',
      '1997-07-10T13:00:00.000Z',
      '1998-06-10T13:00:00.000Z',
      '1998-07-10T13:00:00.000Z',
      '1999-06-10T13:00:00.000Z',
      '1999-07-10T13:00:00.000Z',
      '2000-06-10T13:00:00.000Z',
      '2000-07-10T13:00:00.000Z',
      '2001-06-10T13:00:00.000Z',
      '2001-07-10T13:00:00.000Z',
    ],
  },
  {
    name: 'Every other year on January, February, and March for 10 occurrences',
    dtstart: '1997-03-10T09:00:00-05:00',
    rule: 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
    ends: true,
    expected: [
      '1997-03-10T14:00:00.000Z',
      '1999-01-10T14:00:00.000Z',
      '1999-02-10T14:00:00.000Z',
      '1999-03-10T14:00:00.000Z',
      '2001-01-10T14:00:00.000Z',
      '2001-02-10T14:00:00.000Z',
      '2001-03-10T14:00:00.000Z',
      '2003-01-10T14:00:00.000Z',
      '2003-02-10T14:00:00.000Z',
      '2003-03-10T14:00:00.000Z',
    ],
  },
  {
    name: 'Every 20th Monday of the year, forever',
    dtstart: '1997-05-19T09:00:00-04:00',
    rule: 'FREQ=YEARLY;BYDAY=20MO',
    ends: false,
    expected: ['1997-05-19T13:00:00.000Z', '1998-05-18T13:00:00.000Z', '1999-05-17T13:00:00.000Z'],
  },
  {
    name: 'Every Thursday in March, forever',
    dtstart: '1997-03-13T09:00:00-05:00',
    rule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
    ends: false,
    expected: [
      ...every(7, '1997-03-13T14:00:00.000Z', '1997-03-27T14:00:00.000Z'),
      ...every(7, '1998-03-05T14:00:00.000Z', '1998-03-26T14:00:00.000Z'),
      ...every(7, '1999-03-04T14:00:00.000Z', '1999-03-25T14:00:00.000Z'),
    ],
  },
  {
    name: 'Every Thursday, but only during June, July, and August, forever',
    dtstart: '1997-06-05T09:00:00-04:00',
    rule: 'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8',
    ends: false,
    expected: [
      ...every(7, '1997-06-05T13:00:00.000Z', '1997-08-28T13:00:00.000Z'),
      ...every(7, '1998-06-04T13:00:00.000Z', '1998-08-27T13:00:00.000Z'),
      ...every(7, '1999-06-03T13:00:00.000Z', '1999-08-26T13:00:00.000Z'),
    ],
  },
  {
    name: 'Every Friday the 13th, forever (DTSTART itself is not a Friday the 13th)',
    dtstart: '1997-09-02T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
    ends: false,
    expected: [
      '1998-02-13T14:00:00.000Z',
      '1998-03-13T14:00:00.000Z',
      '1998-11-13T14:00:00.000Z',
      '1999-08-13T13:00:00.000Z',
      '2000-10-13T13:00:00.000Z',
    ],
  },
  {
    name: 'The first Saturday that follows the first Sunday of the month, forever',
    dtstart: '1997-09-13T09:00:00-04:00',
    rule: 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
    ends: false,
    expected: [
      '1997-09-13T13:00:00.000Z',
      '1997-10-11T13:00:00.000Z',
      '1997-11-08T14:00:00.000Z',
      '1997-12-13T14:00:00.000Z',
      '1998-01-10T14:00:00.000Z',
      '1998-02-07T14:00:00.000Z',
      '1998-03-07T14:00:00.000Z',
      '1998-04-11T13:00:00.000Z',
      '1998-05-09T13:00:00.000Z',
      '1998-06-13T13:00:00.000Z',
    ],
  },
  {
    name: 'Every 4 years, the first Tuesday after a Monday in November (U.S. Presidential Election day)',
    dtstart: '1996-11-05T09:00:00-05:00',
    rule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    ends: false,
    expected: [
      '1996-11-05T14:00:00.000Z',
      '2000-11-07T14:00:00.000Z',
      '2004-11-02T14:00:00.000Z',
      '2008-11-04T14:00:00.000Z',
      '2012-11-06T14:00:00.000Z',
      '2016-11-08T14:00:00.000Z',
      '2020-11-03T14:00:00.000Z',
      '2024-11-05T14:00:00.000Z',
    ],
  },
  {
    name: 'Every other week on Tuesday and Sunday with WKST=MO (the default), for 4 occurrences',
    dtstart: '1997-08-05T09:00:00-04:00',
    rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU',
    ends: true,
    expected: [
      '1997-08-05T13:00:00.000Z',
      '1997-08-10T13:00:00.000Z',
      '1997-08-19T13:00:00.000Z',
      '1997-08-24T13:00:00.000Z',
    ],
  },
  {
    name: 'Invalid dates (February 30) are ignored',
    dtstart: '2007-01-15T09:00:00-05:00',
    rule: 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
    ends: true,
    expected: [
      '2007-01-15T14:00:00.000Z',
      '2007-01-30T14:00:00.000Z',
      '2007-02-15T14:00:00.000Z',
      '2007-03-15T13:00:00.000Z',
      '2007-03-30T13:00:00.000Z',
    ],
  },
];

/**
 * A series from `dtstart` in `timeZone`, and its first `count` occurrences strictly after
 * `dtstart` (when `count` is left out, as many as `expected` has): what the domain's
 * occurrencesAfter answers after dtstart, and what the API's recurrencePreview answers for
 * startAt = dtstart. Both specs run every row of the tables below.
 */
export interface AfterStart {
  name: string;
  rule: string;
  dtstart: string;
  timeZone: string;
  count?: number;
  expected: string[];
}

/** Monday, January 6, 2025 at 09:00 in Berlin. */
const MONDAY_2025 = { dtstart: '2025-01-06T08:00:00.000Z', timeZone: BERLIN };
/** Monday, January 5, 2026 at 09:00 in Berlin. */
const MONDAY_2026 = { dtstart: '2026-01-05T09:00:00+01:00', timeZone: BERLIN };
/** Tuesday, January 6, 2026 at 09:00 in Berlin. */
const TUESDAY_2026 = { dtstart: '2026-01-06T09:00:00+01:00', timeZone: BERLIN };

export const RULE_PARTS: AfterStart[] = [
  {
    ...MONDAY_2025,
    name: 'DAILY keeps the wall-clock time of dtstart',
    rule: 'FREQ=DAILY',
    expected: ['2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z', '2025-01-09T08:00:00.000Z'],
  },
  {
    ...MONDAY_2026,
    name: 'FREQ=DAILY: every day at the wall-clock time of startAt, strictly after it',
    rule: 'FREQ=DAILY',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z', '2026-01-08T08:00:00.000Z'],
  },
  {
    // 07:00 UTC on a Sunday in March 2026 is 08:00 CET, so the series is at 08:00 Berlin time.
    name: 'startAt may be given in any offset: the wall clock in timeZone is what repeats',
    rule: 'FREQ=DAILY',
    dtstart: '2026-03-01T07:00:00Z',
    timeZone: BERLIN,
    expected: ['2026-03-02T07:00:00.000Z', '2026-03-03T07:00:00.000Z'],
  },
  {
    ...MONDAY_2026,
    name: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    rule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    expected: [
      '2026-01-07T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-14T08:00:00.000Z',
      '2026-01-16T08:00:00.000Z',
      '2026-01-19T08:00:00.000Z',
    ],
  },
  {
    // No February, April, June, September or November; CEST from March 29 to October 25.
    name: 'FREQ=MONTHLY;BYMONTHDAY=31 skips the months without a 31st',
    rule: 'FREQ=MONTHLY;BYMONTHDAY=31',
    dtstart: '2026-01-31T09:00:00+01:00',
    timeZone: BERLIN,
    expected: [
      '2026-03-31T07:00:00.000Z',
      '2026-05-31T07:00:00.000Z',
      '2026-07-31T07:00:00.000Z',
      '2026-08-31T07:00:00.000Z',
      '2026-10-31T08:00:00.000Z',
      '2026-12-31T08:00:00.000Z',
    ],
  },
  {
    name: 'MONTHLY without BYMONTHDAY on the 31st also skips the months without one (RFC 5545)',
    rule: 'FREQ=MONTHLY',
    dtstart: '2025-01-31T08:00:00.000Z',
    timeZone: BERLIN,
    expected: ['2025-03-31T07:00:00.000Z', '2025-05-31T07:00:00.000Z'],
  },
  {
    // January 30, 2026 is the last Friday of January.
    name: 'FREQ=MONTHLY;BYDAY=-1FR: the last Friday of each month',
    rule: 'FREQ=MONTHLY;BYDAY=-1FR',
    dtstart: '2026-01-30T09:00:00+01:00',
    timeZone: BERLIN,
    expected: [
      '2026-02-27T08:00:00.000Z',
      '2026-03-27T08:00:00.000Z',
      '2026-04-24T07:00:00.000Z',
      '2026-05-29T07:00:00.000Z',
      '2026-06-26T07:00:00.000Z',
    ],
  },
  {
    name: 'YEARLY;BYMONTH=2;BYMONTHDAY=29 occurs only in leap years (from January 10, 2025)',
    rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    dtstart: '2025-01-10T08:00:00.000Z',
    timeZone: BERLIN,
    expected: ['2028-02-29T08:00:00.000Z', '2032-02-29T08:00:00.000Z', '2036-02-29T08:00:00.000Z'],
  },
  {
    name: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29: leap years only (from February 29, 2024)',
    rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    dtstart: '2024-02-29T09:00:00+01:00',
    timeZone: BERLIN,
    expected: ['2028-02-29T08:00:00.000Z', '2032-02-29T08:00:00.000Z', '2036-02-29T08:00:00.000Z'],
  },
  {
    name: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29: leap years only, so after 2096 comes 2104',
    rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    dtstart: '2096-02-29T09:00:00+01:00',
    timeZone: BERLIN,
    expected: ['2104-02-29T08:00:00.000Z', '2108-02-29T08:00:00.000Z'],
  },
  {
    name: 'YEARLY without BYxxx from February 29 follows dtstart: leap years only',
    rule: 'FREQ=YEARLY',
    dtstart: '2024-02-29T08:00:00.000Z',
    timeZone: BERLIN,
    expected: ['2028-02-29T08:00:00.000Z', '2032-02-29T08:00:00.000Z'],
  },
  {
    ...MONDAY_2025,
    name: 'INTERVAL: every 2 weeks (from a Monday)',
    rule: 'FREQ=WEEKLY;INTERVAL=2',
    expected: ['2025-01-20T08:00:00.000Z', '2025-02-03T08:00:00.000Z', '2025-02-17T08:00:00.000Z'],
  },
  {
    ...TUESDAY_2026,
    name: 'INTERVAL: every 2 weeks (from a Tuesday)',
    rule: 'FREQ=WEEKLY;INTERVAL=2',
    expected: [
      '2026-01-20T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
      '2026-02-17T08:00:00.000Z',
      '2026-03-03T08:00:00.000Z',
    ],
  },
  {
    name: 'INTERVAL with BYDAY: every 2 weeks on Tuesday and Thursday',
    rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
    dtstart: '2025-01-07T08:00:00.000Z',
    timeZone: BERLIN,
    expected: ['2025-01-09T08:00:00.000Z', '2025-01-21T08:00:00.000Z', '2025-01-23T08:00:00.000Z'],
  },
  {
    ...TUESDAY_2026,
    name: 'INTERVAL: every other week on TU,TH',
    rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
    expected: [
      '2026-01-08T08:00:00.000Z',
      '2026-01-20T08:00:00.000Z',
      '2026-01-22T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
      '2026-02-05T08:00:00.000Z',
    ],
  },
  {
    name: 'INTERVAL: every 3 months',
    rule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15',
    dtstart: '2026-01-15T09:00:00+01:00',
    timeZone: BERLIN,
    expected: [
      '2026-04-15T07:00:00.000Z',
      '2026-07-15T07:00:00.000Z',
      '2026-10-15T07:00:00.000Z',
      '2027-01-15T08:00:00.000Z',
    ],
  },
  {
    // Monday 00:30 in Berlin is Sunday 23:30 UTC: the series is on Mondays.
    name: 'an absent BYDAY comes from the local date of dtstart, not its UTC date',
    rule: 'FREQ=WEEKLY',
    dtstart: '2025-01-05T23:30:00.000Z',
    timeZone: BERLIN,
    expected: ['2025-01-12T23:30:00.000Z', '2025-01-19T23:30:00.000Z'],
  },
  {
    // The 1st at 08:00 in Auckland is the previous day in UTC: the series is on the 1st.
    name: 'an absent BYMONTHDAY comes from the local date of dtstart, not its UTC date',
    rule: 'FREQ=MONTHLY',
    dtstart: '2024-12-31T19:00:00.000Z', // 2025-01-01 08:00 NZDT (UTC+13)
    timeZone: 'Pacific/Auckland',
    expected: [
      '2025-01-31T19:00:00.000Z',
      '2025-02-28T19:00:00.000Z',
      '2025-03-31T19:00:00.000Z',
      '2025-04-30T20:00:00.000Z', // NZST (UTC+12) since April 6
    ],
  },
  {
    name: 'keeps the seconds and milliseconds of dtstart',
    rule: 'FREQ=DAILY',
    dtstart: '2025-01-06T08:00:07.250Z',
    timeZone: BERLIN,
    expected: ['2025-01-07T08:00:07.250Z'],
  },
  {
    // startAt is the first of the 3: two remain.
    ...MONDAY_2026,
    name: 'COUNT: never past the series total, counted from startAt (DAILY)',
    rule: 'FREQ=DAILY;COUNT=3',
    count: 10,
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z'],
  },
  {
    ...MONDAY_2025,
    name: 'COUNT counts from dtstart: after the first only two are left',
    rule: 'FREQ=DAILY;COUNT=3',
    count: 100,
    expected: ['2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z'],
  },
  {
    ...MONDAY_2026,
    name: 'COUNT: never past the series total, counted from startAt (WEEKLY)',
    rule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=5',
    count: 10,
    expected: [
      '2026-01-07T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-14T08:00:00.000Z',
    ],
  },
  {
    ...MONDAY_2026,
    name: 'COUNT: count cuts the list shorter than the series',
    rule: 'FREQ=DAILY;COUNT=5',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z'],
  },
  {
    ...MONDAY_2026,
    name: 'COUNT=1 is startAt alone',
    rule: 'FREQ=DAILY;COUNT=1',
    count: 10,
    expected: [],
  },
];

/** Up to 10 from Monday, January 5, 2026 at 09:00 in Berlin. */
const TEN_FROM_MONDAY_2026 = { ...MONDAY_2026, count: 10 };

/** UNTIL is inclusive, in each of its three forms. */
export const UNTIL_FORMS: AfterStart[] = [
  {
    // 21:00 in New York is 02:00 UTC the next day: January 8 at 21:00 EST is still on
    // the local day January 8 (a UTC reading of the date would end a day earlier).
    name: 'YYYYMMDD: the whole local day in timeZone',
    rule: 'FREQ=DAILY;UNTIL=20260108',
    dtstart: '2026-01-05T21:00:00-05:00',
    timeZone: NEW_YORK,
    count: 10,
    expected: ['2026-01-07T02:00:00.000Z', '2026-01-08T02:00:00.000Z', '2026-01-09T02:00:00.000Z'],
  },
  {
    ...TEN_FROM_MONDAY_2026,
    name: "a local date-time: wall-clock time in timeZone (the last occurrence's exactly: included)",
    rule: 'FREQ=DAILY;UNTIL=20260108T090000',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z', '2026-01-08T08:00:00.000Z'],
  },
  {
    // Read as UTC, 08:30 would be after 08:00 UTC.
    ...TEN_FROM_MONDAY_2026,
    name: 'a local date-time: wall-clock time in timeZone (08:30 Berlin time is before 09:00)',
    rule: 'FREQ=DAILY;UNTIL=20260108T083000',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z'],
  },
  {
    ...TEN_FROM_MONDAY_2026,
    name: 'a UTC date-time (…Z): a real instant (08:30 UTC is after 09:00 CET)',
    rule: 'FREQ=DAILY;UNTIL=20260108T083000Z',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z', '2026-01-08T08:00:00.000Z'],
  },
  {
    ...TEN_FROM_MONDAY_2026,
    name: 'a UTC date-time (…Z): a real instant (the last occurrence exactly: included)',
    rule: 'FREQ=DAILY;UNTIL=20260108T080000Z',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z', '2026-01-08T08:00:00.000Z'],
  },
  {
    ...TEN_FROM_MONDAY_2026,
    name: 'a UTC date-time (…Z): a real instant (a second before the last occurrence: not)',
    rule: 'FREQ=DAILY;UNTIL=20260108T075959Z',
    expected: ['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z'],
  },
  {
    ...TEN_FROM_MONDAY_2026,
    name: 'an UNTIL before startAt leaves nothing',
    rule: 'FREQ=DAILY;UNTIL=20260101',
    expected: [],
  },
];

/** Across DST changes the wall-clock time stays. */
export const DST_CHANGES: AfterStart[] = [
  {
    name: '09:00 Europe/Berlin daily across the last Sunday of March (March 29, 2026)',
    rule: 'FREQ=DAILY',
    dtstart: '2026-03-27T09:00:00+01:00',
    timeZone: BERLIN,
    expected: [
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
    ],
  },
  {
    name: '09:00 Europe/Berlin daily across the last Sunday of October (October 25, 2026)',
    rule: 'FREQ=DAILY',
    dtstart: '2026-10-23T09:00:00+02:00',
    timeZone: BERLIN,
    expected: [
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
    ],
  },
  {
    name: '09:00 America/New_York daily across the second Sunday of March (March 8, 2026)',
    rule: 'FREQ=DAILY',
    dtstart: '2026-03-06T09:00:00-05:00',
    timeZone: NEW_YORK,
    expected: [
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ],
  },
  {
    name: '09:00 America/New_York daily across the first Sunday of November (November 1, 2026)',
    rule: 'FREQ=DAILY',
    dtstart: '2026-10-30T09:00:00-04:00',
    timeZone: NEW_YORK,
    expected: [
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
      '2026-11-03T14:00:00.000Z',
    ],
  },
  {
    name: 'weekly across the change keeps the time too',
    rule: 'FREQ=WEEKLY',
    dtstart: '2026-03-24T09:00:00+01:00',
    timeZone: BERLIN,
    expected: ['2026-03-31T07:00:00.000Z', '2026-04-07T07:00:00.000Z'],
  },
  {
    // 02:30 in Berlin does not exist on March 30, 2025: it is 03:30 CEST (01:30 UTC).
    name: 'a time that does not exist on the spring-forward day moves forward by the gap (2025)',
    rule: 'FREQ=DAILY',
    dtstart: '2025-03-28T01:30:00.000Z', // 02:30 CET
    timeZone: BERLIN,
    expected: ['2025-03-29T01:30:00.000Z', '2025-03-30T01:30:00.000Z', '2025-03-31T00:30:00.000Z'],
  },
  {
    // 02:30 does not exist in Berlin on March 29, 2026: 03:30 CEST (01:30 UTC) that day.
    name: 'a time in the spring-forward gap moves forward by the gap on that day only (2026)',
    rule: 'FREQ=DAILY',
    dtstart: '2026-03-28T02:30:00+01:00',
    timeZone: BERLIN,
    expected: ['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z'],
  },
  {
    // 02:30 in Berlin on October 26, 2025 is first 00:30 UTC (CEST), then 01:30 UTC (CET).
    name: 'a time that exists twice on the fall-back day is the first (earlier) instant (Berlin)',
    rule: 'FREQ=DAILY',
    dtstart: '2025-10-24T00:30:00.000Z', // 02:30 CEST
    timeZone: BERLIN,
    expected: ['2025-10-25T00:30:00.000Z', '2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z'],
  },
  {
    // 01:30 in New York on November 2, 2025 is first 05:30 UTC (EDT), then 06:30 UTC (EST).
    name: 'a time that exists twice on the fall-back day is the first (earlier) instant (New York)',
    rule: 'FREQ=DAILY',
    dtstart: '2025-10-31T05:30:00.000Z',
    timeZone: NEW_YORK,
    expected: ['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z'],
  },
  {
    // 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET) in Berlin on October 25, 2026.
    name: 'a time that happens twice on the fall-back day is the earlier instant, once',
    rule: 'FREQ=DAILY',
    dtstart: '2026-10-24T02:30:00+02:00',
    timeZone: BERLIN,
    expected: ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z'],
  },
  {
    // Samoa went from UTC-10 to UTC+14 at the end of December 29, 2011.
    name: 'a whole skipped day (Pacific/Apia, December 30, 2011) gives no duplicate',
    rule: 'FREQ=DAILY',
    dtstart: '2011-12-27T19:00:00.000Z', // 09:00 on December 27 (UTC-10)
    timeZone: 'Pacific/Apia',
    expected: [
      '2011-12-28T19:00:00.000Z',
      '2011-12-29T19:00:00.000Z',
      '2011-12-30T19:00:00.000Z', // 09:00 on December 31 (UTC+14)
      '2011-12-31T19:00:00.000Z', // 09:00 on January 1
    ],
  },
];
