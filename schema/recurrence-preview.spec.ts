/**
 * `recurrencePreview` and `skipOccurrence` through the real HTTP GraphQL endpoint.
 *
 * Every expected list is written out as the UTC instants the DateTime scalar serializes. They
 * were worked out by hand from the calendar and the zones' DST rules (Europe/Berlin changes on
 * the last Sundays of March and October; America/New_York on the second Sunday of March and the
 * first Sunday of November since 2007, on the first Sunday of April and the last Sunday of
 * October in 1997-2006), and checked against an independent implementation (python-dateutil's
 * rrule in floating time, localised with zoneinfo).
 */
import { DateTime } from 'luxon';
import {
  completeTask,
  createTask,
  expectValidationError,
  result,
  useTestApi,
  type GraphQLResponse,
  type TestUser,
} from '../test/api.ts';

const api = useTestApi();

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

const PREVIEW = `
  query Preview($rule: String!, $startAt: DateTime!, $timeZone: String!, $count: Int!) {
    recurrencePreview(rule: $rule, startAt: $startAt, timeZone: $timeZone, count: $count)
  }
`;

let user: TestUser;
beforeAll(async () => {
  user = await api.user('preview');
});

/** The raw response of recurrencePreview. */
function previewRequest(
  rule: string,
  startAt: string,
  timeZone: string,
  count: number,
): Promise<GraphQLResponse<{ recurrencePreview: string[] }>> {
  return user.gql(PREVIEW, { rule, startAt, timeZone, count });
}

/** The occurrences recurrencePreview answers, expecting no errors. */
async function preview(
  rule: string,
  startAt: string,
  timeZone: string,
  count = 10,
): Promise<string[]> {
  const response = await previewRequest(rule, startAt, timeZone, count);
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data!.recurrencePreview;
}

describe('recurrencePreview: the allowed rule parts', () => {
  it('FREQ=DAILY: every day at the wall-clock time of startAt, strictly after it', async () => {
    expect(await preview('FREQ=DAILY', '2026-01-05T09:00:00+01:00', BERLIN, 3)).toEqual([
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
      '2026-01-08T08:00:00.000Z',
    ]);
  });

  it('startAt may be given in any offset: the wall clock in timeZone is what repeats', async () => {
    // 07:00 UTC on a Sunday in March 2026 is 08:00 CET, so the series is at 08:00 Berlin time.
    expect(await preview('FREQ=DAILY', '2026-03-01T07:00:00Z', BERLIN, 2)).toEqual([
      '2026-03-02T07:00:00.000Z',
      '2026-03-03T07:00:00.000Z',
    ]);
  });

  it('FREQ=WEEKLY;BYDAY=MO,WE,FR', async () => {
    // Monday, January 5, 2026.
    expect(
      await preview('FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-01-05T09:00:00+01:00', BERLIN, 6),
    ).toEqual([
      '2026-01-07T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-14T08:00:00.000Z',
      '2026-01-16T08:00:00.000Z',
      '2026-01-19T08:00:00.000Z',
    ]);
  });

  it('FREQ=MONTHLY;BYMONTHDAY=31 skips the months without a 31st', async () => {
    // No February, April, June, September or November; CEST from March 29 to October 25.
    expect(
      await preview('FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31T09:00:00+01:00', BERLIN, 6),
    ).toEqual([
      '2026-03-31T07:00:00.000Z',
      '2026-05-31T07:00:00.000Z',
      '2026-07-31T07:00:00.000Z',
      '2026-08-31T07:00:00.000Z',
      '2026-10-31T08:00:00.000Z',
      '2026-12-31T08:00:00.000Z',
    ]);
  });

  it('FREQ=MONTHLY;BYDAY=-1FR: the last Friday of each month', async () => {
    // January 30, 2026 is the last Friday of January.
    expect(
      await preview('FREQ=MONTHLY;BYDAY=-1FR', '2026-01-30T09:00:00+01:00', BERLIN, 5),
    ).toEqual([
      '2026-02-27T08:00:00.000Z',
      '2026-03-27T08:00:00.000Z',
      '2026-04-24T07:00:00.000Z',
      '2026-05-29T07:00:00.000Z',
      '2026-06-26T07:00:00.000Z',
    ]);
  });

  it('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29: leap years only', async () => {
    const rule = 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29';
    expect(await preview(rule, '2024-02-29T09:00:00+01:00', BERLIN, 3)).toEqual([
      '2028-02-29T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
      '2036-02-29T08:00:00.000Z',
    ]);
    // 2100 is not a leap year: after 2096 comes 2104.
    expect(await preview(rule, '2096-02-29T09:00:00+01:00', BERLIN, 2)).toEqual([
      '2104-02-29T08:00:00.000Z',
      '2108-02-29T08:00:00.000Z',
    ]);
  });

  it('a rule that can never occur answers an empty list at once', async () => {
    const started = Date.now();
    expect(
      await preview('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2026-01-05T09:00:00+01:00', BERLIN),
    ).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('INTERVAL: every 2 weeks, every other week on TU,TH, every 3 months', async () => {
    // Tuesday, January 6, 2026.
    expect(await preview('FREQ=WEEKLY;INTERVAL=2', '2026-01-06T09:00:00+01:00', BERLIN, 4)).toEqual(
      [
        '2026-01-20T08:00:00.000Z',
        '2026-02-03T08:00:00.000Z',
        '2026-02-17T08:00:00.000Z',
        '2026-03-03T08:00:00.000Z',
      ],
    );
    expect(
      await preview('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH', '2026-01-06T09:00:00+01:00', BERLIN, 5),
    ).toEqual([
      '2026-01-08T08:00:00.000Z',
      '2026-01-20T08:00:00.000Z',
      '2026-01-22T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
      '2026-02-05T08:00:00.000Z',
    ]);
    expect(
      await preview(
        'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15',
        '2026-01-15T09:00:00+01:00',
        BERLIN,
        4,
      ),
    ).toEqual([
      '2026-04-15T07:00:00.000Z',
      '2026-07-15T07:00:00.000Z',
      '2026-10-15T07:00:00.000Z',
      '2027-01-15T08:00:00.000Z',
    ]);
  });

  it('COUNT: the preview never goes past the series total, counted from startAt', async () => {
    // startAt is the first of the 3: two remain.
    expect(await preview('FREQ=DAILY;COUNT=3', '2026-01-05T09:00:00+01:00', BERLIN, 10)).toEqual([
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
    ]);
    expect(
      await preview('FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=5', '2026-01-05T09:00:00+01:00', BERLIN, 10),
    ).toEqual([
      '2026-01-07T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-14T08:00:00.000Z',
    ]);
    // count cuts the list shorter than the series.
    expect(await preview('FREQ=DAILY;COUNT=5', '2026-01-05T09:00:00+01:00', BERLIN, 2)).toEqual([
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
    ]);
    // COUNT=1 is startAt alone.
    expect(await preview('FREQ=DAILY;COUNT=1', '2026-01-05T09:00:00+01:00', BERLIN, 10)).toEqual(
      [],
    );
  });

  it('COUNT counts startAt even when startAt is not on the rule, as skipOccurrence does', async () => {
    // startAt is Tuesday, January 6, 2026; the rule is Mondays and Wednesdays, 2 in all. A task
    // due then is instance 1 of its series: skipOccurrence moves it to Wednesday (instance 2) and
    // then refuses, the series having ended (see the skipOccurrence tests below). RFC 5545 too
    // counts DTSTART as the first occurrence. So only Wednesday is left, not Monday the 12th.
    expect(
      await preview('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=2', '2026-01-06T09:00:00+01:00', BERLIN, 10),
    ).toEqual(['2026-01-07T08:00:00.000Z']);
  });

  describe('UNTIL, inclusive, in each of its three forms', () => {
    it('YYYYMMDD: the whole local day in timeZone', async () => {
      // 21:00 in New York is 02:00 UTC the next day: January 8 at 21:00 EST is still on
      // the local day January 8 (a UTC reading of the date would end a day earlier).
      expect(
        await preview('FREQ=DAILY;UNTIL=20260108', '2026-01-05T21:00:00-05:00', NEW_YORK),
      ).toEqual([
        '2026-01-07T02:00:00.000Z',
        '2026-01-08T02:00:00.000Z',
        '2026-01-09T02:00:00.000Z',
      ]);
    });

    it('a local date-time: wall-clock time in timeZone', async () => {
      // Exactly the last occurrence's wall-clock time: included.
      expect(
        await preview('FREQ=DAILY;UNTIL=20260108T090000', '2026-01-05T09:00:00+01:00', BERLIN),
      ).toEqual([
        '2026-01-06T08:00:00.000Z',
        '2026-01-07T08:00:00.000Z',
        '2026-01-08T08:00:00.000Z',
      ]);
      // 08:30 Berlin time is before 09:00 Berlin time (read as UTC it would be after 08:00 UTC).
      expect(
        await preview('FREQ=DAILY;UNTIL=20260108T083000', '2026-01-05T09:00:00+01:00', BERLIN),
      ).toEqual(['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z']);
    });

    it('a UTC date-time (…Z): a real instant', async () => {
      // 08:30 UTC is after 09:00 CET (08:00 UTC): January 8 is included.
      expect(
        await preview('FREQ=DAILY;UNTIL=20260108T083000Z', '2026-01-05T09:00:00+01:00', BERLIN),
      ).toEqual([
        '2026-01-06T08:00:00.000Z',
        '2026-01-07T08:00:00.000Z',
        '2026-01-08T08:00:00.000Z',
      ]);
      // The exact instant of the last occurrence is included; a second before it is not.
      expect(
        await preview('FREQ=DAILY;UNTIL=20260108T080000Z', '2026-01-05T09:00:00+01:00', BERLIN),
      ).toEqual([
        '2026-01-06T08:00:00.000Z',
        '2026-01-07T08:00:00.000Z',
        '2026-01-08T08:00:00.000Z',
      ]);
      expect(
        await preview('FREQ=DAILY;UNTIL=20260108T075959Z', '2026-01-05T09:00:00+01:00', BERLIN),
      ).toEqual(['2026-01-06T08:00:00.000Z', '2026-01-07T08:00:00.000Z']);
    });

    it('an UNTIL before startAt leaves nothing', async () => {
      expect(
        await preview('FREQ=DAILY;UNTIL=20260101', '2026-01-05T09:00:00+01:00', BERLIN),
      ).toEqual([]);
    });
  });
});

describe('recurrencePreview across DST changes keeps the wall-clock time', () => {
  it('09:00 Europe/Berlin daily across the last Sunday of March (March 29, 2026)', async () => {
    expect(await preview('FREQ=DAILY', '2026-03-27T09:00:00+01:00', BERLIN, 4)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
    ]);
  });

  it('09:00 Europe/Berlin daily across the last Sunday of October (October 25, 2026)', async () => {
    expect(await preview('FREQ=DAILY', '2026-10-23T09:00:00+02:00', BERLIN, 4)).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
    ]);
  });

  it('09:00 America/New_York daily across the second Sunday of March (March 8, 2026)', async () => {
    expect(await preview('FREQ=DAILY', '2026-03-06T09:00:00-05:00', NEW_YORK, 4)).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ]);
  });

  it('09:00 America/New_York daily across the first Sunday of November (November 1, 2026)', async () => {
    expect(await preview('FREQ=DAILY', '2026-10-30T09:00:00-04:00', NEW_YORK, 4)).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
      '2026-11-03T14:00:00.000Z',
    ]);
  });

  it('weekly across the change keeps the time too', async () => {
    expect(await preview('FREQ=WEEKLY', '2026-03-24T09:00:00+01:00', BERLIN, 2)).toEqual([
      '2026-03-31T07:00:00.000Z',
      '2026-04-07T07:00:00.000Z',
    ]);
  });

  it('a time in the spring-forward gap moves forward by the gap on that day only', async () => {
    // 02:30 does not exist in Berlin on March 29, 2026: 03:30 CEST (01:30 UTC) that day.
    expect(await preview('FREQ=DAILY', '2026-03-28T02:30:00+01:00', BERLIN, 3)).toEqual([
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('a time that happens twice on the fall-back day is the earlier instant, once', async () => {
    // 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET) in Berlin on October 25, 2026.
    expect(await preview('FREQ=DAILY', '2026-10-24T02:30:00+02:00', BERLIN, 3)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });
});

/**
 * The examples of RFC 5545 section 3.8.5.3 that use only the allowed parts (WKST is left out:
 * only the default MO is allowed, and it makes no difference to these), DTSTART;TZID=
 * America/New_York. The preview is strictly after startAt, so each list is the RFC's list without
 * DTSTART; for a series without end, the beginning of it. In 1997 EDT (UTC-4) ended on October
 * 26; in 1998 it began on April 5, in 1999 on April 4; since 2007 EST (UTC-5) begins on the first
 * Sunday of November.
 */
const RFC_EXAMPLES: [title: string, startAt: string, rule: string, count: number, string[]][] = [
  [
    'Daily for 10 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;COUNT=10',
    100,
    [
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
  ],
  [
    'Every other day - forever (to November 1)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;INTERVAL=2',
    30,
    [
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
    ],
  ],
  [
    'Every 10 days, 5 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=DAILY;INTERVAL=10;COUNT=5',
    100,
    [
      '1997-09-12T13:00:00.000Z',
      '1997-09-22T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z',
      '1997-10-12T13:00:00.000Z',
    ],
  ],
  [
    'Weekly for 10 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;COUNT=10',
    100,
    [
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
  ],
  [
    'Weekly on Tuesday and Thursday for five weeks (UNTIL)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=WEEKLY;UNTIL=19971007T000000Z;BYDAY=TU,TH',
    100,
    [
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
  ],
  [
    'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    '1997-09-01T09:00:00-04:00',
    'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;BYDAY=MO,WE,FR',
    100,
    [
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
  ],
  [
    'Weekly, WKST=MO: every other week on Tuesday and Sunday, 4 occurrences',
    '1997-08-05T09:00:00-04:00',
    'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU',
    100,
    ['1997-08-10T13:00:00.000Z', '1997-08-19T13:00:00.000Z', '1997-08-24T13:00:00.000Z'],
  ],
  [
    'Monthly on the first Friday for 10 occurrences',
    '1997-09-05T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
    100,
    [
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
  ],
  [
    'Every other month on the first and last Sunday of the month for 10 occurrences',
    '1997-09-07T09:00:00-04:00',
    'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
    100,
    [
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
  ],
  [
    'Monthly on the second-to-last Monday of the month for 6 months',
    '1997-09-22T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
    100,
    [
      '1997-10-20T13:00:00.000Z',
      '1997-11-17T14:00:00.000Z',
      '1997-12-22T14:00:00.000Z',
      '1998-01-19T14:00:00.000Z',
      '1998-02-16T14:00:00.000Z',
    ],
  ],
  [
    'Monthly on the third-to-the-last day of the month, forever',
    '1997-09-28T09:00:00-04:00',
    'FREQ=MONTHLY;BYMONTHDAY=-3',
    5,
    [
      '1997-10-29T14:00:00.000Z',
      '1997-11-28T14:00:00.000Z',
      '1997-12-29T14:00:00.000Z',
      '1998-01-29T14:00:00.000Z',
      '1998-02-26T14:00:00.000Z',
    ],
  ],
  [
    'Monthly on the 2nd and 15th of the month for 10 occurrences',
    '1997-09-02T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
    100,
    [
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
  ],
  [
    'Monthly on the first and last day of the month for 10 occurrences',
    '1997-09-30T09:00:00-04:00',
    'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
    100,
    [
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
  ],
  [
    'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    '1997-09-10T09:00:00-04:00',
    'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
    100,
    [
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
  ],
  [
    'Every Friday the 13th, forever (the RFC excludes DTSTART with EXDATE)',
    '1997-09-02T09:00:00-04:00',
    'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
    5,
    [
      '1998-02-13T14:00:00.000Z',
      '1998-03-13T14:00:00.000Z',
      '1998-11-13T14:00:00.000Z',
      '1999-08-13T13:00:00.000Z',
      '2000-10-13T13:00:00.000Z',
    ],
  ],
  [
    'The first Saturday that follows the first Sunday of the month, forever',
    '1997-09-13T09:00:00-04:00',
    'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
    9,
    [
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
  ],
  [
    'An invalid date (February 30) is ignored',
    '2007-01-15T09:00:00-05:00',
    'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
    100,
    [
      '2007-01-30T14:00:00.000Z',
      '2007-02-15T14:00:00.000Z',
      '2007-03-15T13:00:00.000Z',
      '2007-03-30T13:00:00.000Z',
    ],
  ],
  [
    'Yearly in June and July for 10 occurrences',
    '1997-06-10T09:00:00-04:00',
    'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
    100,
    [
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
  ],
  [
    'Every other year on January, February, and March for 10 occurrences',
    '1997-03-10T09:00:00-05:00',
    'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
    100,
    [
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
  ],
  [
    'Every 20th Monday of the year, forever',
    '1997-05-19T09:00:00-04:00',
    'FREQ=YEARLY;BYDAY=20MO',
    2,
    ['1998-05-18T13:00:00.000Z', '1999-05-17T13:00:00.000Z'],
  ],
  [
    'Every Thursday in March, forever',
    '1997-03-13T09:00:00-05:00',
    'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
    10,
    [
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
  ],
  [
    'Every 4 years, the first Tuesday after a Monday in November (US Presidential Election day)',
    '1996-11-05T09:00:00-05:00',
    'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    7,
    [
      '2000-11-07T14:00:00.000Z',
      '2004-11-02T14:00:00.000Z',
      '2008-11-04T14:00:00.000Z',
      '2012-11-06T14:00:00.000Z',
      '2016-11-08T14:00:00.000Z',
      '2020-11-03T14:00:00.000Z',
      '2024-11-05T14:00:00.000Z',
    ],
  ],
];

describe('recurrencePreview: the examples of RFC 5545 section 3.8.5.3 (America/New_York)', () => {
  it.each(RFC_EXAMPLES)('%s', async (_title, startAt, rule, count, expected) => {
    expect(await preview(rule, startAt, NEW_YORK, count)).toEqual(expected);
  });

  it('Daily until December 24, 1997: 112 occurrences after DTSTART, read in two pages', async () => {
    const rule = 'FREQ=DAILY;UNTIL=19971224T000000Z';
    const first = await preview(rule, '1997-09-02T09:00:00-04:00', NEW_YORK, 100);
    expect(first).toHaveLength(100);
    expect(first.slice(0, 3)).toEqual([
      '1997-09-03T13:00:00.000Z',
      '1997-09-04T13:00:00.000Z',
      '1997-09-05T13:00:00.000Z',
    ]);
    // EDT ends on October 26: 09:00 is 13:00 UTC up to October 25 and 14:00 UTC from then on.
    const october25 = first.indexOf('1997-10-25T13:00:00.000Z');
    expect(october25).toBe(52);
    expect(first[october25 + 1]).toBe('1997-10-26T14:00:00.000Z');
    // Sep 3-30 (28), October (31), November (30) and December 1-11 (11).
    expect(first[99]).toBe('1997-12-11T14:00:00.000Z');

    // The rest: the series is the same when it starts at the 100th occurrence.
    const rest = await preview(rule, first[99]!, NEW_YORK, 100);
    expect(rest).toHaveLength(12);
    expect(rest.slice(0, 2)).toEqual(['1997-12-12T14:00:00.000Z', '1997-12-13T14:00:00.000Z']);
    // December 23 at 09:00 EST is 14:00 UTC, before UNTIL; December 24 at 14:00 UTC is after it.
    expect(rest.slice(-3)).toEqual([
      '1997-12-21T14:00:00.000Z',
      '1997-12-22T14:00:00.000Z',
      '1997-12-23T14:00:00.000Z',
    ]);

    const all = [...first, ...rest];
    expect(all).toHaveLength(112);
    expect(new Set(all).size).toBe(112);
    // One a day: each local date from September 3 to December 23 exactly once, at 09:00.
    const local = all.map((iso) => DateTime.fromISO(iso, { zone: NEW_YORK }));
    expect(local.every((dt) => dt.hour === 9 && dt.minute === 0)).toBe(true);
    local.slice(1).forEach((dt, i) => {
      expect(dt.startOf('day').diff(local[i]!.startOf('day'), 'days').days).toBe(1);
    });
  });
});

describe('recurrencePreview refusals', () => {
  const START = '2026-01-05T09:00:00+01:00';

  it.each([
    ['FREQ=SECONDLY', 'FREQ=SECONDLY'],
    ['FREQ=HOURLY', 'FREQ=HOURLY;INTERVAL=3'],
    ['BYSETPOS', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
    ['BYHOUR', 'FREQ=DAILY;BYHOUR=9,17'],
    ['COUNT with UNTIL', 'FREQ=DAILY;COUNT=3;UNTIL=20260110'],
    ['a numbered BYDAY with FREQ=WEEKLY', 'FREQ=WEEKLY;BYDAY=1MO'],
    ['not a rule at all', 'every monday'],
    ['an empty rule', ''],
  ])('a rule outside the allowed set (%s) is a ValidationError on rule', async (_what, rule) => {
    const response = await previewRequest(rule, START, BERLIN, 5);
    expect(response.status).toBe(200);
    expectValidationError(response, 'rule');
  });

  it.each(['Europe/Nowhere', 'Mars/Olympus_Mons', '+02:00', 'local', ''])(
    'an unknown time zone (%j) is a ValidationError on timeZone',
    async (timeZone) => {
      const response = await previewRequest('FREQ=DAILY', START, timeZone, 5);
      expect(response.status).toBe(200);
      expectValidationError(response, 'timeZone');
    },
  );

  it.each([0, 101, -1])('count %d is a ValidationError on count', async (count) => {
    const response = await previewRequest('FREQ=DAILY', START, BERLIN, count);
    expect(response.status).toBe(200);
    expectValidationError(response, 'count');
  });

  it('count 1 and count 100 are the bounds', async () => {
    expect(await preview('FREQ=DAILY', START, BERLIN, 1)).toEqual(['2026-01-06T08:00:00.000Z']);
    const hundred = await preview('FREQ=DAILY', START, BERLIN, 100);
    expect(hundred).toHaveLength(100);
    expect(hundred[99]).toBe('2026-04-15T07:00:00.000Z');
  });

  it.each(['2026-13-01T09:00:00Z', 'tomorrow at nine', '2026-03-30T09:00:00', '', '2026-02-30'])(
    'a malformed startAt (%j) in a variable is a GraphQL scalar error (HTTP 400), not a 500',
    async (startAt) => {
      const response = await previewRequest('FREQ=DAILY', startAt, BERLIN, 5);
      // yoga answers a variable that its type refuses with 400 Bad Request.
      expect(response.status).toBe(400);
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.message).toBe(
        `Variable "$startAt" got invalid value "${startAt}"; ` +
          `DateTime cannot represent an invalid date-time-string ${startAt}.`,
      );
    },
  );

  it('a malformed startAt written in the document is a GraphQL validation error (HTTP 200), not a 500', async () => {
    const response = await user.gql(`{
      recurrencePreview(rule: "FREQ=DAILY", startAt: "2026-03-30 09:00", timeZone: "UTC", count: 3)
    }`);
    expect(response.status).toBe(200);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({
      message: 'DateTime cannot represent an invalid date-time-string 2026-03-30 09:00.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('startAt, timeZone and count are required', async () => {
    const response = await user.gql(`{ recurrencePreview(rule: "FREQ=DAILY") }`);
    expect(response.status).toBe(200);
    expect(response.data ?? null).toBeNull();
    expect(response.errors!.map((error) => error.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(response.errors!.map((error) => error.message).join('\n')).toMatch(
      /argument "count".*\n.*argument "startAt".*\n.*argument "timeZone"/,
    );
  });
});

describe('skipOccurrence', () => {
  const SKIP_FIELDS = 'id dueAt completed seriesIndex version remindBeforeMinutes remindAt';
  const SKIP = `mutation Skip($id: ID!) {
    skipOccurrence(id: $id) { ${result('skipOccurrence', 'task', SKIP_FIELDS)} }
  }`;

  interface SkippedTask {
    id: string;
    dueAt: string;
    completed: boolean;
    seriesIndex: number;
    version: number;
    remindBeforeMinutes: number | null;
    remindAt: string | null;
  }

  /** Runs skipOccurrence as `who` and returns its result payload. */
  async function skip(who: TestUser, id: string): Promise<Record<string, any>> {
    const response = await who.gql(SKIP, { id });
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    return response.data!.skipOccurrence;
  }

  /** The task as `who` reads it now. */
  async function read(who: TestUser, id: string): Promise<SkippedTask | null> {
    const response = await who.gql(`query($id: ID!) { task(id: $id) { ${SKIP_FIELDS} } }`, {
      id,
    });
    expect(response.errors).toBeUndefined();
    return response.data!.task;
  }

  /** Today in Berlin, fixed once so that a run across midnight cannot shift "tomorrow". */
  const todayInBerlin = DateTime.now().setZone(BERLIN).startOf('day');

  /** 09:00 Berlin time `days` after today (1 is tomorrow), as an ISO UTC instant. */
  const berlinNineAm = (days: number) =>
    todayInBerlin.plus({ days }).set({ hour: 9 }).toUTC().toISO()!;

  it('moves a daily task due tomorrow at 09:00 Berlin to the day after, 09:00 Berlin', async () => {
    const owner = await api.user('skipper');
    const created = await createTask<SkippedTask>(
      owner,
      {
        title: 'Stand-up',
        dueAt: berlinNineAm(1),
        timeZone: BERLIN,
        recurrenceRule: 'FREQ=DAILY',
        remindBeforeMinutes: 15,
      },
      SKIP_FIELDS,
    );
    expect(created).toMatchObject({ dueAt: berlinNineAm(1), seriesIndex: 1, completed: false });

    const payload = await skip(owner, created.id);
    expect(payload.__typename).toBe('SkipOccurrenceSuccess');
    const dayAfter = berlinNineAm(2);
    expect(payload.task).toEqual({
      id: created.id,
      dueAt: dayAfter,
      completed: false,
      seriesIndex: 2,
      version: created.version + 1,
      remindBeforeMinutes: 15,
      remindAt: new Date(Date.parse(dayAfter) - 15 * 60_000).toISOString(),
    });
    expect(DateTime.fromISO(payload.task.dueAt, { zone: BERLIN }).toFormat('HH:mm')).toBe('09:00');
    expect(await read(owner, created.id)).toEqual(payload.task);

    // The preview from the old due date named the same next occurrence.
    expect(await preview('FREQ=DAILY', created.dueAt, BERLIN, 1)).toEqual([dayAfter]);
  });

  it('refuses a task without a recurrence rule: ValidationError on id', async () => {
    const owner = await api.user('skipper');
    const task = await createTask<SkippedTask>(
      owner,
      { title: 'Once', dueAt: berlinNineAm(1), timeZone: BERLIN },
      SKIP_FIELDS,
    );
    const payload = await skip(owner, task.id);
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    expect(await read(owner, task.id)).toEqual(task);
  });

  it('refuses a completed recurring task: ValidationError on id', async () => {
    const owner = await api.user('skipper');
    const task = await createTask<SkippedTask>(
      owner,
      {
        title: 'Water plants',
        dueAt: berlinNineAm(1),
        timeZone: BERLIN,
        recurrenceRule: 'FREQ=DAILY',
      },
      SKIP_FIELDS,
    );
    const completed = await completeTask<SkippedTask>(owner, task.id, SKIP_FIELDS);
    const payload = await skip(owner, task.id);
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    expect(await read(owner, task.id)).toEqual(completed);
  });

  it('with COUNT=2 the first skip moves to the last occurrence and a second is refused', async () => {
    const owner = await api.user('skipper');
    const task = await createTask<SkippedTask>(
      owner,
      {
        title: 'Twice',
        dueAt: berlinNineAm(1),
        timeZone: BERLIN,
        recurrenceRule: 'FREQ=DAILY;COUNT=2',
      },
      SKIP_FIELDS,
    );
    const first = await skip(owner, task.id);
    expect(first).toMatchObject({
      __typename: 'SkipOccurrenceSuccess',
      task: { dueAt: berlinNineAm(2), seriesIndex: 2, version: task.version + 1 },
    });

    const second = await skip(owner, task.id);
    expect(second).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    // Nothing changed.
    expect(await read(owner, task.id)).toEqual(first.task);
  });

  it("answers NotFoundError for another user's task, and leaves it alone", async () => {
    const owner = await api.user('owner');
    const other = await api.user('other');
    const task = await createTask<SkippedTask>(
      owner,
      {
        title: 'Mine',
        dueAt: berlinNineAm(1),
        timeZone: BERLIN,
        recurrenceRule: 'FREQ=DAILY',
      },
      SKIP_FIELDS,
    );
    const payload = await skip(other, task.id);
    expect(payload).toMatchObject({ __typename: 'NotFoundError', entity: 'Task', id: task.id });
    expect(await read(owner, task.id)).toEqual(task);
  });

  it('agrees with recurrencePreview on where a COUNT series ends (startAt off the rule)', async () => {
    // Tuesday, January 8, 2030 at 09:00 Berlin; Mondays and Wednesdays, 2 instances in all.
    const owner = await api.user('skipper');
    const rule = 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=2';
    const dueAt = '2030-01-08T08:00:00.000Z';
    const task = await createTask<SkippedTask>(
      owner,
      { title: 'Off the rule', dueAt, timeZone: BERLIN, recurrenceRule: rule },
      SKIP_FIELDS,
    );
    const skipped: string[] = [];
    for (let i = 0; i < 5; i++) {
      const payload = await skip(owner, task.id);
      if (payload.__typename !== 'SkipOccurrenceSuccess') {
        expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'id' });
        break;
      }
      skipped.push(payload.task.dueAt);
    }
    expect(skipped).toEqual(['2030-01-09T08:00:00.000Z']);
    expect(await preview(rule, dueAt, BERLIN, 10)).toEqual(skipped);
  });

  it('keeps the wall-clock time after skipping over a spring-forward gap (no drift)', async () => {
    // 02:30 daily in Berlin from Saturday, March 30, 2030; 02:30 does not exist on Sunday,
    // March 31 (03:30 CEST, 01:30 UTC), but does again on April 1 (02:30 CEST, 00:30 UTC).
    const owner = await api.user('skipper');
    const dueAt = '2030-03-30T01:30:00.000Z';
    const task = await createTask<SkippedTask>(
      owner,
      { title: 'Night job', dueAt, timeZone: BERLIN, recurrenceRule: 'FREQ=DAILY' },
      SKIP_FIELDS,
    );
    const expected = await preview('FREQ=DAILY', dueAt, BERLIN, 3);
    expect(expected).toEqual([
      '2030-03-31T01:30:00.000Z',
      '2030-04-01T00:30:00.000Z',
      '2030-04-02T00:30:00.000Z',
    ]);
    const skipped: string[] = [];
    for (let i = 0; i < 3; i++) {
      const payload = await skip(owner, task.id);
      expect(payload.__typename).toBe('SkipOccurrenceSuccess');
      skipped.push(payload.task.dueAt);
    }
    expect(skipped).toEqual(expected);
  });
});
