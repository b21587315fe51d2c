import { nextOccurrence, occurrencesAfter } from './occurrences.ts';
import { parseRecurrenceRule } from './rule.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

/** The occurrences after `after` as ISO strings. */
function after(
  text: string,
  opts: { dtstart: string; timeZone: string; after: string; count: number },
): string[] {
  return iso(
    occurrencesAfter(parseRecurrenceRule(text), {
      dtstart: new Date(opts.dtstart),
      timeZone: opts.timeZone,
      after: new Date(opts.after),
      count: opts.count,
    }),
  );
}

/** The next instance as an ISO string, or null. */
function next(
  text: string,
  opts: { dtstart: string; timeZone: string; after: string; seriesIndex: number },
): string | null {
  return (
    nextOccurrence(parseRecurrenceRule(text), {
      dtstart: new Date(opts.dtstart),
      timeZone: opts.timeZone,
      after: new Date(opts.after),
      seriesIndex: opts.seriesIndex,
    })?.toISOString() ?? null
  );
}

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

/** ISO instants from `first` to `last` inclusive, `days` × 24 hours apart (no time zones). */
function every(days: number, first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += days * 86_400_000) {
    out.push(new Date(t).toISOString());
  }
  return out;
}

/**
 * The examples of RFC 5545 section 3.8.5.3 that use only the allowed rule parts (no BYYEARDAY,
 * BYWEEKNO, BYSETPOS, BYHOUR, BYMINUTE, HOURLY or MINUTELY; WKST=SU is left out where it makes no
 * difference, since only the default WKST=MO is allowed), in America/New_York, with the RFC's
 * expected wall-clock times written as UTC instants (EDT is UTC-4, EST is UTC-5; in 1997 DST
 * ended on October 26 and in 1998 it began on April 5). For a series without an end, the RFC's
 * list is its beginning. Columns: title, DTSTART, RRULE, expected, whether the series ends.
 */
const RFC_EXAMPLES: [string, string, string, string[], boolean][] = [
  [
    'Daily for 10 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;COUNT=10',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-03T13:00:00.000Z',
      '1997-09-04T13:00:00.000Z',
      '1997-09-05T13:00:00.000Z',
      '1997-09-06T13:00:00.000Z',
      '1997-09-07T13:00:00.000Z',
      '1997-09-08T13:00:00.000Z',
      '1997-09-09T13:00:00.000Z',
      '1997-09-10T13:00:00.000Z',
      '1997-09-11T13:00:00.000Z',
    ],
    true,
  ],
  [
    'Daily until December 24, 1997',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;UNTIL=19971224T000000Z',
    [
      ...every(1, '1997-09-02T13:00:00.000Z', '1997-10-25T13:00:00.000Z'),
      ...every(1, '1997-10-26T14:00:00.000Z', '1997-12-23T14:00:00.000Z'),
    ],
    true,
  ],
  [
    'Every other day - forever',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;INTERVAL=2',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-04T13:00:00.000Z',
      '1997-09-06T13:00:00.000Z',
      '1997-09-08T13:00:00.000Z',
      '1997-09-10T13:00:00.000Z',
      '1997-09-12T13:00:00.000Z',
      '1997-09-14T13:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-18T13:00:00.000Z',
      '1997-09-20T13:00:00.000Z',
      '1997-09-22T13:00:00.000Z',
      '1997-09-24T13:00:00.000Z',
      '1997-09-26T13:00:00.000Z',
      '1997-09-28T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-04T13:00:00.000Z',
      '1997-10-06T13:00:00.000Z',
      '1997-10-08T13:00:00.000Z',
      '1997-10-10T13:00:00.000Z',
      '1997-10-12T13:00:00.000Z',
      '1997-10-14T13:00:00.000Z',
      '1997-10-16T13:00:00.000Z',
      '1997-10-18T13:00:00.000Z',
      '1997-10-20T13:00:00.000Z',
      '1997-10-22T13:00:00.000Z',
      '1997-10-24T13:00:00.000Z',
      '1997-10-26T14:00:00.000Z',
      '1997-10-28T14:00:00.000Z',
      '1997-10-30T14:00:00.000Z',
      '1997-11-01T14:00:00.000Z',
      '1997-11-03T14:00:00.000Z',
      '1997-11-05T14:00:00.000Z',
    ],
    false,
  ],
  [
    'Every 10 days, 5 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;INTERVAL=10;COUNT=5',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-12T13:00:00.000Z',
      '1997-09-22T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-12T13:00:00.000Z',
    ],
    true,
  ],
  [
    'Every day in January, for 3 years (YEARLY form)',
    '1998-01-01T09:00:00-05:00',
    'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
    [
      ...every(1, '1998-01-01T14:00:00.000Z', '1998-01-31T14:00:00.000Z'),
      ...every(1, '1999-01-01T14:00:00.000Z', '1999-01-31T14:00:00.000Z'),
      ...every(1, '2000-01-01T14:00:00.000Z', '2000-01-31T14:00:00.000Z'),
    ],
    true,
  ],
  [
    'Every day in January, for 3 years (DAILY form)',
    '1998-01-01T09:00:00-05:00',
    'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1',
    [
      ...every(1, '1998-01-01T14:00:00.000Z', '1998-01-31T14:00:00.000Z'),
      ...every(1, '1999-01-01T14:00:00.000Z', '1999-01-31T14:00:00.000Z'),
      ...every(1, '2000-01-01T14:00:00.000Z', '2000-01-31T14:00:00.000Z'),
    ],
    true,
  ],
  [
    'Weekly for 10 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;COUNT=10',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-09T13:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-23T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-10-07T13:00:00.000Z',
      '1997-10-14T13:00:00.000Z',
      '1997-10-21T13:00:00.000Z',
      '1997-10-28T14:00:00.000Z',
      '1997-11-04T14:00:00.000Z',
    ],
    true,
  ],
  [
    'Weekly until December 24, 1997',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;UNTIL=19971224T000000Z',
    [
      ...every(7, '1997-09-02T13:00:00.000Z', '1997-10-21T13:00:00.000Z'),
      ...every(7, '1997-10-28T14:00:00.000Z', '1997-12-23T14:00:00.000Z'),
    ],
    true,
  ],
  [
    'Every other week - forever (WKST=SU left out: no BYDAY, so it changes nothing)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;INTERVAL=2',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-10-14T13:00:00.000Z',
      '1997-10-28T14:00:00.000Z',
      '1997-11-11T14:00:00.000Z',
      '1997-11-25T14:00:00.000Z',
      '1997-12-09T14:00:00.000Z',
      '1997-12-23T14:00:00.000Z',
      '1998-01-06T14:00:00.000Z',
      '1998-01-20T14:00:00.000Z',
      '1998-02-03T14:00:00.000Z',
      '1998-02-17T14:00:00.000Z',
    ],
    false,
  ],
  [
    'Weekly on Tuesday and Thursday for five weeks (UNTIL)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;UNTIL=19971007T000000Z;BYDAY=TU,TH',
    [
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
    ],
    true,
  ],
  [
    'Weekly on Tuesday and Thursday for five weeks (COUNT)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;COUNT=10;BYDAY=TU,TH',
    [
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
    ],
    true,
  ],
  [
    'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    '1997-09-01T09:00:00-04:00',
    'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;BYDAY=MO,WE,FR',
    [
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
    true,
  ],
  [
    'Every other week on Tuesday and Thursday, for 8 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,TH',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-04T13:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-18T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-14T13:00:00.000Z',
      '1997-10-16T13:00:00.000Z',
    ],
    true,
  ],
  [
    'Monthly on the first Friday for 10 occurrences',
    '1997-09-05T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
    [
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
    ],
    true,
  ],
  [
    'Monthly on the first Friday until December 24, 1997',
    '1997-09-05T09:00:00-04:00',
    'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR',
    [
      '1997-09-05T13:00:00.000Z',
      '1997-10-03T13:00:00.000Z',
      '1997-11-07T14:00:00.000Z',
      '1997-12-05T14:00:00.000Z',
    ],
    true,
  ],
  [
    'Every other month on the first and last Sunday of the month for 10 occurrences',
    '1997-09-07T09:00:00-04:00',
    'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
    [
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
    true,
  ],
  [
    'Monthly on the second-to-last Monday of the month for 6 months',
    '1997-09-22T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
    [
      '1997-09-22T13:00:00.000Z',
      '1997-10-20T13:00:00.000Z',
      '1997-11-17T14:00:00.000Z',
      '1997-12-22T14:00:00.000Z',
      '1998-01-19T14:00:00.000Z',
      '1998-02-16T14:00:00.000Z',
    ],
    true,
  ],
  [
    'Monthly on the third-to-the-last day of the month, forever',
    '1997-09-28T09:00:00-04:00',
    'FREQ=MONTHLY;BYMONTHDAY=-3',
    [
      '1997-09-28T13:00:00.000Z',
      '1997-10-29T14:00:00.000Z',
      '1997-11-28T14:00:00.000Z',
      '1997-12-29T14:00:00.000Z',
      '1998-01-29T14:00:00.000Z',
      '1998-02-26T14:00:00.000Z',
    ],
    false,
  ],
  [
    'Monthly on the 2nd and 15th of the month for 10 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
    [
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
    true,
  ],
  [
    'Monthly on the first and last day of the month for 10 occurrences',
    '1997-09-30T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
    [
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
    true,
  ],
  [
    'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    '1997-09-10T09:00:00-04:00',
    'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
    [
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
    true,
  ],
  [
    'Every Tuesday, every other month',
    '1997-09-02T09:00:00-04:00',
    'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
    [
      '1997-09-02T13:00:00.000Z',
      '1997-09-09T13:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-23T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-11-04T14:00:00.000Z',
      '1997-11-11T14:00:00.000Z',
      '1997-11-18T14:00:00.000Z',
      '1997-11-25T14:00:00.000Z',
      '1998-01-06T14:00:00.000Z',
      '1998-01-13T14:00:00.000Z',
      '1998-01-20T14:00:00.000Z',
      '1998-01-27T14:00:00.000Z',
      '1998-03-03T14:00:00.000Z',
      '1998-03-10T14:00:00.000Z',
      '1998-03-17T14:00:00.000Z',
      '1998-03-24T14:00:00.000Z',
      '1998-03-31T14:00:00.000Z',
    ],
    false,
  ],
  [
    'Yearly in June and July for 10 occurrences',
    '1997-06-10T09:00:00-04:00',
    'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
    [
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
    true,
  ],
  [
    'Every other year on January, February, and March for 10 occurrences',
    '1997-03-10T09:00:00-05:00',
    'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
    [
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
    true,
  ],
  [
    'Every 20th Monday of the year, forever',
    '1997-05-19T09:00:00-04:00',
    'FREQ=YEARLY;BYDAY=20MO',
    ['1997-05-19T13:00:00.000Z', '1998-05-18T13:00:00.000Z', '1999-05-17T13:00:00.000Z'],
    false,
  ],
  [
    'Every Thursday in March, forever',
    '1997-03-13T09:00:00-05:00',
    'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
    [
      '1997-03-13T14:00:00.000Z',
      '1997-03-20T14:00:00.000Z',
      '1997-03-27T14:00:00.000Z',
      '1998-03-05T14:00:00.000Z',
      '1998-03-12T14:00:00.000Z',
      '1998-03-19T14:00:00.000Z',
      '1998-03-26T14:00:00.000Z',
      '1999-03-04T14:00:00.000Z',
      '1999-03-11T14:00:00.000Z',
      '1999-03-18T14:00:00.000Z',
      '1999-03-25T14:00:00.000Z',
    ],
    false,
  ],
  [
    'Every Thursday, but only during June, July, and August, forever',
    '1997-06-05T09:00:00-04:00',
    'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8',
    [
      '1997-06-05T13:00:00.000Z',
      '1997-06-12T13:00:00.000Z',
      '1997-06-19T13:00:00.000Z',
      '1997-06-26T13:00:00.000Z',
      '1997-07-03T13:00:00.000Z',
      '1997-07-10T13:00:00.000Z',
      '1997-07-17T13:00:00.000Z',
      '1997-07-24T13:00:00.000Z',
      '1997-07-31T13:00:00.000Z',
      '1997-08-07T13:00:00.000Z',
      '1997-08-14T13:00:00.000Z',
      '1997-08-21T13:00:00.000Z',
      '1997-08-28T13:00:00.000Z',
      '1998-06-04T13:00:00.000Z',
      '1998-06-11T13:00:00.000Z',
      '1998-06-18T13:00:00.000Z',
      '1998-06-25T13:00:00.000Z',
      '1998-07-02T13:00:00.000Z',
      '1998-07-09T13:00:00.000Z',
      '1998-07-16T13:00:00.000Z',
      '1998-07-23T13:00:00.000Z',
      '1998-07-30T13:00:00.000Z',
      '1998-08-06T13:00:00.000Z',
      '1998-08-13T13:00:00.000Z',
      '1998-08-20T13:00:00.000Z',
      '1998-08-27T13:00:00.000Z',
      '1999-06-03T13:00:00.000Z',
      '1999-06-10T13:00:00.000Z',
      '1999-06-17T13:00:00.000Z',
      '1999-06-24T13:00:00.000Z',
      '1999-07-01T13:00:00.000Z',
      '1999-07-08T13:00:00.000Z',
      '1999-07-15T13:00:00.000Z',
      '1999-07-22T13:00:00.000Z',
      '1999-07-29T13:00:00.000Z',
      '1999-08-05T13:00:00.000Z',
      '1999-08-12T13:00:00.000Z',
      '1999-08-19T13:00:00.000Z',
      '1999-08-26T13:00:00.000Z',
    ],
    false,
  ],
  [
    'Every Friday the 13th, forever (DTSTART itself is not a Friday the 13th)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
    [
      '1998-02-13T14:00:00.000Z',
      '1998-03-13T14:00:00.000Z',
      '1998-11-13T14:00:00.000Z',
      '1999-08-13T13:00:00.000Z',
      '2000-10-13T13:00:00.000Z',
    ],
    false,
  ],
  [
    'The first Saturday that follows the first Sunday of the month, forever',
    '1997-09-13T09:00:00-04:00',
    'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
    [
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
    false,
  ],
  [
    'Every 4 years, the first Tuesday after a Monday in November (U.S. Presidential Election day)',
    '1996-11-05T09:00:00-05:00',
    'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    ['1996-11-05T14:00:00.000Z', '2000-11-07T14:00:00.000Z', '2004-11-02T14:00:00.000Z'],
    false,
  ],
  [
    'Every other week on Tuesday and Sunday with WKST=MO (the default), for 4 occurrences',
    '1997-08-05T09:00:00-04:00',
    'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU',
    [
      '1997-08-05T13:00:00.000Z',
      '1997-08-10T13:00:00.000Z',
      '1997-08-19T13:00:00.000Z',
      '1997-08-24T13:00:00.000Z',
    ],
    true,
  ],
  [
    'Invalid dates (February 30) are ignored',
    '2007-01-15T09:00:00-05:00',
    'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
    [
      '2007-01-15T14:00:00.000Z',
      '2007-01-30T14:00:00.000Z',
      '2007-02-15T14:00:00.000Z',
      '2007-03-15T13:00:00.000Z',
      '2007-03-30T13:00:00.000Z',
    ],
    true,
  ],
];

describe('occurrences: RFC 5545 section 3.8.5.3 examples', () => {
  it.each(RFC_EXAMPLES)('%s (DTSTART %s, %s)', (_title, dtstart, text, expected, ends) => {
    // For a series that ends, ask for more than it has: the end must be exact too.
    const limit = ends ? expected.length + 50 : expected.length;
    expect(series(text, dtstart, NEW_YORK, limit)).toEqual(expected);
  });
});

describe('occurrences: frequencies and rule parts', () => {
  it('DAILY keeps the wall-clock time of dtstart', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-01-06T08:00:00.000Z', // Monday 09:00 in Berlin
        timeZone: BERLIN,
        after: '2025-01-06T08:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z', '2025-01-09T08:00:00.000Z']);
  });

  it('WEEKLY;BYDAY=MO,WE,FR', () => {
    expect(
      after('FREQ=WEEKLY;BYDAY=MO,WE,FR', {
        dtstart: '2025-01-06T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-01T00:00:00.000Z',
        count: 6,
      }),
    ).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
      '2025-01-10T08:00:00.000Z',
      '2025-01-13T08:00:00.000Z',
      '2025-01-15T08:00:00.000Z',
      '2025-01-17T08:00:00.000Z',
    ]);
  });

  it('MONTHLY;BYMONTHDAY=31 skips the months without a 31st', () => {
    expect(
      after('FREQ=MONTHLY;BYMONTHDAY=31', {
        dtstart: '2025-01-31T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-01T00:00:00.000Z',
        count: 7,
      }),
    ).toEqual([
      '2025-01-31T08:00:00.000Z',
      '2025-03-31T07:00:00.000Z', // summer time began on March 30
      '2025-05-31T07:00:00.000Z',
      '2025-07-31T07:00:00.000Z',
      '2025-08-31T07:00:00.000Z',
      '2025-10-31T08:00:00.000Z', // winter time again since October 26
      '2025-12-31T08:00:00.000Z',
    ]);
  });

  it('MONTHLY without BYMONTHDAY on the 31st also skips the months without one (RFC 5545)', () => {
    expect(
      after('FREQ=MONTHLY', {
        dtstart: '2025-01-31T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-31T08:00:00.000Z',
        count: 2,
      }),
    ).toEqual(['2025-03-31T07:00:00.000Z', '2025-05-31T07:00:00.000Z']);
  });

  it('MONTHLY;BYDAY=-1FR is the last Friday of each month', () => {
    expect(
      after('FREQ=MONTHLY;BYDAY=-1FR', {
        dtstart: '2025-01-31T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-01T00:00:00.000Z',
        count: 6,
      }),
    ).toEqual([
      '2025-01-31T08:00:00.000Z',
      '2025-02-28T08:00:00.000Z',
      '2025-03-28T08:00:00.000Z',
      '2025-04-25T07:00:00.000Z',
      '2025-05-30T07:00:00.000Z',
      '2025-06-27T07:00:00.000Z',
    ]);
  });

  it('YEARLY;BYMONTH=2;BYMONTHDAY=29 occurs only in leap years (not in 2100)', () => {
    expect(
      after('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', {
        dtstart: '2025-01-10T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-10T08:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2028-02-29T08:00:00.000Z', '2032-02-29T08:00:00.000Z', '2036-02-29T08:00:00.000Z']);
    expect(
      next('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', {
        dtstart: '2024-02-29T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2097-01-01T00:00:00.000Z',
        seriesIndex: 19,
      }),
    ).toBe('2104-02-29T08:00:00.000Z');
  });

  it('a sparse series still gives all 100 occurrences asked for (February 29 until 2436)', () => {
    const found = after('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', {
      dtstart: '2025-01-10T08:00:00.000Z',
      timeZone: BERLIN,
      after: '2025-01-10T08:00:00.000Z',
      count: 100,
    });
    // 2028-2096: 18, 2104-2196: 24 (2100 is no leap year), 2204-2296: 24, 2304-2396: 24,
    // 2400: 1 (it is one), 2404-2436: 9.
    expect(found).toHaveLength(100);
    expect(found.slice(17, 19)).toEqual(['2096-02-29T08:00:00.000Z', '2104-02-29T08:00:00.000Z']);
    expect(found.at(-1)).toBe('2436-02-29T08:00:00.000Z');
  });

  it('YEARLY without BYxxx from February 29 follows dtstart: leap years only', () => {
    expect(
      after('FREQ=YEARLY', {
        dtstart: '2024-02-29T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2024-02-29T08:00:00.000Z',
        count: 2,
      }),
    ).toEqual(['2028-02-29T08:00:00.000Z', '2032-02-29T08:00:00.000Z']);
  });

  it('INTERVAL: every 2 weeks', () => {
    expect(
      after('FREQ=WEEKLY;INTERVAL=2', {
        dtstart: '2025-01-06T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-06T08:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-01-20T08:00:00.000Z', '2025-02-03T08:00:00.000Z', '2025-02-17T08:00:00.000Z']);
  });

  it('INTERVAL with BYDAY: every 2 weeks on Tuesday and Thursday', () => {
    expect(
      after('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH', {
        dtstart: '2025-01-07T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-07T08:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-01-09T08:00:00.000Z', '2025-01-21T08:00:00.000Z', '2025-01-23T08:00:00.000Z']);
  });

  it('absent BYDAY/BYMONTHDAY come from the local date of dtstart, not its UTC date', () => {
    // Monday 00:30 in Berlin is Sunday 23:30 UTC: the series is on Mondays.
    expect(
      after('FREQ=WEEKLY', {
        dtstart: '2025-01-05T23:30:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-05T23:30:00.000Z',
        count: 2,
      }),
    ).toEqual(['2025-01-12T23:30:00.000Z', '2025-01-19T23:30:00.000Z']);
    // The 1st at 08:00 in Auckland is the previous day in UTC: the series is on the 1st.
    expect(
      after('FREQ=MONTHLY', {
        dtstart: '2024-12-31T19:00:00.000Z', // 2025-01-01 08:00 NZDT (UTC+13)
        timeZone: 'Pacific/Auckland',
        after: '2024-12-31T19:00:00.000Z',
        count: 4,
      }),
    ).toEqual([
      '2025-01-31T19:00:00.000Z',
      '2025-02-28T19:00:00.000Z',
      '2025-03-31T19:00:00.000Z',
      '2025-04-30T20:00:00.000Z', // NZST (UTC+12) since April 6
    ]);
  });

  it('keeps the seconds and milliseconds of dtstart', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-01-06T08:00:07.250Z',
        timeZone: BERLIN,
        after: '2025-01-06T08:00:07.250Z',
        count: 1,
      }),
    ).toEqual(['2025-01-07T08:00:07.250Z']);
  });
});

describe('occurrences: COUNT', () => {
  const rule = 'FREQ=DAILY;COUNT=3';
  const dtstart = '2025-01-06T08:00:00.000Z';

  it('nextOccurrence returns null after instance 3 of a series of 3', () => {
    const at = (after: string, seriesIndex: number) =>
      next(rule, { dtstart, timeZone: BERLIN, after, seriesIndex });
    expect(at(dtstart, 1)).toBe('2025-01-07T08:00:00.000Z');
    expect(at('2025-01-07T08:00:00.000Z', 2)).toBe('2025-01-08T08:00:00.000Z');
    expect(at('2025-01-08T08:00:00.000Z', 3)).toBeNull();
    // Even when completed early: after instance 3 the series has ended.
    expect(at('2025-01-06T09:00:00.000Z', 3)).toBeNull();
    expect(at(dtstart, 4)).toBeNull();
  });

  it('nextOccurrence counts instances, not dates: a late completion does not end the series', () => {
    // Instance 2 is completed on January 20, after the third date of the series.
    expect(
      next(rule, { dtstart, timeZone: BERLIN, after: '2025-01-20T12:00:00.000Z', seriesIndex: 2 }),
    ).toBe('2025-01-21T08:00:00.000Z');
  });

  it('occurrencesAfter never returns more than the COUNT total', () => {
    expect(
      after(rule, { dtstart, timeZone: BERLIN, after: '2025-01-01T00:00:00.000Z', count: 100 }),
    ).toEqual(['2025-01-06T08:00:00.000Z', '2025-01-07T08:00:00.000Z', '2025-01-08T08:00:00.000Z']);
    // COUNT counts from dtstart: after the first occurrence only two are left.
    expect(after(rule, { dtstart, timeZone: BERLIN, after: dtstart, count: 100 })).toEqual([
      '2025-01-07T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
    ]);
    expect(
      after(rule, { dtstart, timeZone: BERLIN, after: '2025-01-08T08:00:00.000Z', count: 100 }),
    ).toEqual([]);
  });
});

describe('occurrences: UNTIL', () => {
  it('YYYYMMDD includes the whole local day', () => {
    // 23:30 in Berlin on January 8 is 22:30 UTC: still January 8 locally.
    const opts = {
      dtstart: '2025-01-06T22:30:00.000Z',
      timeZone: BERLIN,
      after: '2025-01-01T00:00:00.000Z',
      count: 100,
    };
    expect(after('FREQ=DAILY;UNTIL=20250108', opts)).toEqual([
      '2025-01-06T22:30:00.000Z',
      '2025-01-07T22:30:00.000Z',
      '2025-01-08T22:30:00.000Z',
    ]);
    // West of UTC: 21:00 in New York on January 8 is 02:00 UTC on January 9.
    expect(
      after('FREQ=DAILY;UNTIL=20250108', {
        ...opts,
        dtstart: '2025-01-07T02:00:00.000Z',
        timeZone: NEW_YORK,
      }),
    ).toEqual(['2025-01-07T02:00:00.000Z', '2025-01-08T02:00:00.000Z', '2025-01-09T02:00:00.000Z']);
  });

  it('YYYYMMDDTHHMMSS is wall-clock time in the task time zone, inclusive', () => {
    const opts = {
      dtstart: '2025-01-06T08:00:00.000Z', // 09:00 in Berlin
      timeZone: BERLIN,
      after: '2025-01-01T00:00:00.000Z',
      count: 100,
    };
    expect(after('FREQ=DAILY;UNTIL=20250108T090000', opts)).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-07T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
    ]);
    expect(after('FREQ=DAILY;UNTIL=20250108T085959', opts)).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-07T08:00:00.000Z',
    ]);
  });

  it('YYYYMMDDTHHMMSSZ is a UTC instant, inclusive', () => {
    const opts = {
      dtstart: '2025-01-06T08:00:00.000Z',
      timeZone: BERLIN,
      after: '2025-01-01T00:00:00.000Z',
      count: 100,
    };
    expect(after('FREQ=DAILY;UNTIL=20250108T080000Z', opts)).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-07T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
    ]);
    expect(after('FREQ=DAILY;UNTIL=20250108T075959Z', opts)).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-07T08:00:00.000Z',
    ]);
  });

  it('a UTC UNTIL is compared as an instant even where wall-clock time repeats', () => {
    // 01:30 on November 2, 2025 in New York is 05:30 UTC (EDT), before UNTIL = 01:00 EST.
    expect(
      after('FREQ=DAILY;UNTIL=20251102T060000Z', {
        dtstart: '2025-10-31T05:30:00.000Z',
        timeZone: NEW_YORK,
        after: '2025-10-01T00:00:00.000Z',
        count: 100,
      }),
    ).toEqual(['2025-10-31T05:30:00.000Z', '2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z']);
  });

  it.each([['20250108'], ['20250108T090000'], ['20250108T080000Z']])(
    'nextOccurrence returns null after UNTIL=%s',
    (until) => {
      const opts = { dtstart: '2025-01-06T08:00:00.000Z', timeZone: BERLIN, seriesIndex: 1 };
      const rule = `FREQ=DAILY;UNTIL=${until}`;
      expect(next(rule, { ...opts, after: '2025-01-07T08:00:00.000Z' })).toBe(
        '2025-01-08T08:00:00.000Z',
      );
      expect(next(rule, { ...opts, after: '2025-01-08T08:00:00.000Z' })).toBeNull();
      expect(next(rule, { ...opts, after: '2025-03-01T00:00:00.000Z' })).toBeNull();
    },
  );
});

describe('occurrences: daylight saving time', () => {
  it('09:00 daily in Europe/Berlin across the spring change (March 30, 2025)', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-03-01T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-03-28T12:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z']);
  });

  it('09:00 daily in Europe/Berlin across the autumn change (October 26, 2025)', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-03-01T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-10-24T12:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-10-25T07:00:00.000Z', '2025-10-26T08:00:00.000Z', '2025-10-27T08:00:00.000Z']);
  });

  it('09:00 daily in America/New_York across the spring change (March 9, 2025)', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-01-06T14:00:00.000Z',
        timeZone: NEW_YORK,
        after: '2025-03-07T20:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-03-08T14:00:00.000Z', '2025-03-09T13:00:00.000Z', '2025-03-10T13:00:00.000Z']);
  });

  it('09:00 daily in America/New_York across the autumn change (November 2, 2025)', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-01-06T14:00:00.000Z',
        timeZone: NEW_YORK,
        after: '2025-10-31T20:00:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-11-01T13:00:00.000Z', '2025-11-02T14:00:00.000Z', '2025-11-03T14:00:00.000Z']);
  });

  it('a time that does not exist on the spring-forward day moves forward by the gap', () => {
    // 02:30 in Berlin does not exist on March 30, 2025: it is 03:30 CEST (01:30 UTC).
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-03-28T01:30:00.000Z', // 02:30 CET
        timeZone: BERLIN,
        after: '2025-03-28T01:30:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-03-29T01:30:00.000Z', '2025-03-30T01:30:00.000Z', '2025-03-31T00:30:00.000Z']);
    // 02:30 in New York does not exist on March 9, 2025: it is 03:30 EDT (07:30 UTC).
    expect(
      next('FREQ=WEEKLY', {
        dtstart: '2025-03-02T07:30:00.000Z', // Sunday 02:30 EST
        timeZone: NEW_YORK,
        after: '2025-03-02T07:30:00.000Z',
        seriesIndex: 1,
      }),
    ).toBe('2025-03-09T07:30:00.000Z');
    // Its instant (03:30 EDT) is after 03:00 EDT although 02:30 is before 03:00 on the clock.
    expect(
      next('FREQ=DAILY', {
        dtstart: '2025-03-02T07:30:00.000Z',
        timeZone: NEW_YORK,
        after: '2025-03-09T07:00:00.000Z',
        seriesIndex: 1,
      }),
    ).toBe('2025-03-09T07:30:00.000Z');
  });

  it('a time that exists twice on the fall-back day is the first (earlier) instant', () => {
    // 02:30 in Berlin on October 26, 2025 is first 00:30 UTC (CEST), then 01:30 UTC (CET).
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-10-24T00:30:00.000Z', // 02:30 CEST
        timeZone: BERLIN,
        after: '2025-10-24T00:30:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-10-25T00:30:00.000Z', '2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']);
    // 01:30 in New York on November 2, 2025 is first 05:30 UTC (EDT), then 06:30 UTC (EST).
    expect(
      after('FREQ=DAILY', {
        dtstart: '2025-10-31T05:30:00.000Z',
        timeZone: NEW_YORK,
        after: '2025-10-31T05:30:00.000Z',
        count: 3,
      }),
    ).toEqual(['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']);
  });

  it('a whole skipped day (Pacific/Apia, December 30, 2011) gives no duplicate', () => {
    // Samoa went from UTC-10 to UTC+14 at the end of December 29, 2011.
    expect(
      after('FREQ=DAILY', {
        dtstart: '2011-12-27T19:00:00.000Z', // 09:00 on December 27 (UTC-10)
        timeZone: 'Pacific/Apia',
        after: '2011-12-27T19:00:00.000Z',
        count: 4,
      }),
    ).toEqual([
      '2011-12-28T19:00:00.000Z',
      '2011-12-29T19:00:00.000Z',
      '2011-12-30T19:00:00.000Z', // 09:00 on December 31 (UTC+14)
      '2011-12-31T19:00:00.000Z', // 09:00 on January 1
    ]);
  });

  it('does not depend on the time zone of the host', () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ['Australia/Sydney', 'America/Los_Angeles', 'Asia/Kolkata']) {
        process.env.TZ = zone;
        expect(
          after('FREQ=DAILY', {
            dtstart: '2025-03-01T08:00:00.000Z',
            timeZone: BERLIN,
            after: '2025-03-28T12:00:00.000Z',
            count: 3,
          }),
        ).toEqual([
          '2025-03-29T08:00:00.000Z',
          '2025-03-30T07:00:00.000Z',
          '2025-03-31T07:00:00.000Z',
        ]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('occurrences: the anchor', () => {
  // A daily task due on Monday, June 2, 2025 at 09:00 in Berlin (07:00 UTC).
  const due = '2025-06-02T07:00:00.000Z';

  it('after the due date, the next instance is the first occurrence after it', () => {
    expect(next('FREQ=DAILY', { dtstart: due, timeZone: BERLIN, after: due, seriesIndex: 1 })).toBe(
      '2025-06-03T07:00:00.000Z',
    );
  });

  it('a late completion skips what is past and keeps the time of day (no drift)', () => {
    // Completed on Thursday at 15:37 Berlin time: next is Friday 09:00, not Friday 15:37.
    expect(
      next('FREQ=DAILY', {
        dtstart: due,
        timeZone: BERLIN,
        after: '2025-06-05T13:37:00.000Z',
        seriesIndex: 1,
      }),
    ).toBe('2025-06-06T07:00:00.000Z');
    // A weekly Monday task completed on Wednesday is next due on the following Monday.
    expect(
      next('FREQ=WEEKLY', {
        dtstart: due,
        timeZone: BERLIN,
        after: '2025-06-04T10:00:00.000Z',
        seriesIndex: 1,
      }),
    ).toBe('2025-06-09T07:00:00.000Z');
  });

  it('a completion exactly at an occurrence moves on to the one after it', () => {
    expect(
      next('FREQ=DAILY', {
        dtstart: due,
        timeZone: BERLIN,
        after: '2025-06-04T07:00:00.000Z',
        seriesIndex: 2,
      }),
    ).toBe('2025-06-05T07:00:00.000Z');
  });

  it('without a due date, the completion time anchors the series', () => {
    const completed = '2025-06-05T13:37:12.000Z';
    expect(
      next('FREQ=DAILY', {
        dtstart: completed,
        timeZone: BERLIN,
        after: completed,
        seriesIndex: 1,
      }),
    ).toBe('2025-06-06T13:37:12.000Z');
    expect(
      next('FREQ=WEEKLY;BYDAY=MO', {
        dtstart: completed,
        timeZone: BERLIN,
        after: completed,
        seriesIndex: 1,
      }),
    ).toBe('2025-06-09T13:37:12.000Z');
  });

  it('after a moment before dtstart, the first occurrence is dtstart itself', () => {
    expect(
      after('FREQ=DAILY', {
        dtstart: due,
        timeZone: BERLIN,
        after: '2025-01-01T00:00:00.000Z',
        count: 1,
      }),
    ).toEqual([due]);
  });
});

describe('occurrences: rules that never occur, and arguments', () => {
  it.each([
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'],
    ['FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31'],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,31'],
    ['FREQ=DAILY;INTERVAL=7;BYDAY=TU'],
    ['FREQ=WEEKLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=-30'],
    ['FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29'],
    ['FREQ=MONTHLY;INTERVAL=12;BYMONTH=3'],
    ['FREQ=MONTHLY;BYDAY=6MO'],
    ['FREQ=YEARLY;BYMONTH=2;BYDAY=-6FR,7SA'],
  ])('%s returns [] and null quickly', (text) => {
    // dtstart is Monday, January 6, 2025 at 09:00 in Berlin.
    const opts = { dtstart: '2025-01-06T08:00:00.000Z', timeZone: BERLIN };
    const started = Date.now();
    expect(after(text, { ...opts, after: '2025-01-01T00:00:00.000Z', count: 100 })).toEqual([]);
    expect(next(text, { ...opts, after: '2025-01-01T00:00:00.000Z', seriesIndex: 1 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('finds a rare occurrence decades away (Monday, February 29)', () => {
    expect(
      next('FREQ=DAILY;BYDAY=MO;BYMONTH=2;BYMONTHDAY=29', {
        dtstart: '2025-01-06T08:00:00.000Z',
        timeZone: BERLIN,
        after: '2025-01-06T08:00:00.000Z',
        seriesIndex: 1,
      }),
    ).toBe('2044-02-29T08:00:00.000Z');
  });

  it('count: 0 gives [], more than 100 or not a whole number is a RangeError', () => {
    const opts = {
      dtstart: '2025-01-06T08:00:00.000Z',
      timeZone: BERLIN,
      after: '2025-01-06T08:00:00.000Z',
    };
    expect(after('FREQ=DAILY', { ...opts, count: 0 })).toEqual([]);
    expect(after('FREQ=DAILY', { ...opts, count: 100 })).toHaveLength(100);
    for (const count of [101, -1, 1.5, Number.NaN]) {
      expect(() => after('FREQ=DAILY', { ...opts, count })).toThrow(RangeError);
    }
  });

  it('a bad seriesIndex, time zone or date is a RangeError', () => {
    const opts = {
      dtstart: '2025-01-06T08:00:00.000Z',
      timeZone: BERLIN,
      after: '2025-01-06T08:00:00.000Z',
      seriesIndex: 1,
    };
    expect(() => next('FREQ=DAILY', { ...opts, seriesIndex: 0 })).toThrow(RangeError);
    expect(() => next('FREQ=DAILY', { ...opts, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => next('FREQ=DAILY', { ...opts, after: 'not a date' })).toThrow(RangeError);
    expect(() => after('FREQ=DAILY', { ...opts, dtstart: 'not a date', count: 1 })).toThrow(
      RangeError,
    );
  });
});
