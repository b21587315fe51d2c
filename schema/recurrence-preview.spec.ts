/**
 * `recurrencePreview` and `skipOccurrence` through the real HTTP GraphQL endpoint.
 *
 * Every expected list, here and in the rows of `test/recurrence-cases.ts` that this spec and the
 * domain's share, is written out as the UTC instants the DateTime scalar serializes. They
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
import {
  BERLIN,
  DST_CHANGES,
  NEW_YORK,
  RFC_EXAMPLES,
  RULE_PARTS,
  UNTIL_FORMS,
  type AfterStart,
} from '../test/recurrence-cases.ts';

const api = useTestApi();

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

/** A row of the shared tables, through the API: startAt is its dtstart. */
async function check({ rule, dtstart, timeZone, count, expected }: AfterStart): Promise<void> {
  expect(await preview(rule, dtstart, timeZone, count ?? expected.length)).toEqual(expected);
}

describe('recurrencePreview: the allowed rule parts', () => {
  it.each(RULE_PARTS)('$name', check);

  it('COUNT counts startAt even when startAt is not on the rule, as skipOccurrence does', async () => {
    // startAt is Tuesday, January 6, 2026; the rule is Mondays and Wednesdays, 2 in all. A task
    // due then is instance 1 of its series: skipOccurrence moves it to Wednesday (instance 2) and
    // then refuses, the series having ended (see the skipOccurrence tests below). RFC 5545 too
    // counts DTSTART as the first occurrence. So only Wednesday is left, not Monday the 12th.
    expect(
      await preview('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=2', '2026-01-06T09:00:00+01:00', BERLIN, 10),
    ).toEqual(['2026-01-07T08:00:00.000Z']);
  });

  it('a rule that can never occur answers an empty list at once', async () => {
    const started = Date.now();
    expect(
      await preview('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2026-01-05T09:00:00+01:00', BERLIN),
    ).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  describe('UNTIL, inclusive, in each of its three forms', () => {
    it.each(UNTIL_FORMS)('$name', check);
  });
});

describe('recurrencePreview across DST changes keeps the wall-clock time', () => {
  it.each(DST_CHANGES)('$name', check);
});

describe('recurrencePreview: the examples of RFC 5545 section 3.8.5.3 (America/New_York)', () => {
  it.each(RFC_EXAMPLES)('$name', async ({ dtstart, rule, ends, expected, previewCount }) => {
    // The preview is strictly after startAt: the RFC's list without DTSTART. A series that ends
    // is asked for 100, to see the end too.
    const afterStart = expected.filter((instant) => Date.parse(instant) > Date.parse(dtstart));
    const count = ends ? 100 : (previewCount ?? afterStart.length);
    expect(await preview(rule, dtstart, NEW_YORK, count)).toEqual(afterStart.slice(0, count));
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

  /** Each refused input, with the field its ValidationError names. */
  const REFUSED = [
    ...[
      { what: 'FREQ=SECONDLY', rule: 'FREQ=SECONDLY' },
      { what: 'FREQ=HOURLY', rule: 'FREQ=HOURLY;INTERVAL=3' },
      { what: 'BYSETPOS', rule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1' },
      { what: 'BYHOUR', rule: 'FREQ=DAILY;BYHOUR=9,17' },
      { what: 'COUNT with UNTIL', rule: 'FREQ=DAILY;COUNT=3;UNTIL=20260110' },
      { what: 'a numbered BYDAY with FREQ=WEEKLY', rule: 'FREQ=WEEKLY;BYDAY=1MO' },
      { what: 'not a rule at all', rule: 'every monday' },
      { what: 'an empty rule', rule: '' },
    ].map(({ what, rule }) => ({
      name: `a rule outside the allowed set (${what})`,
      field: 'rule',
      input: { rule },
    })),
    ...['Europe/Nowhere', 'Mars/Olympus_Mons', '+02:00', 'local', ''].map((timeZone) => ({
      name: `an unknown time zone ("${timeZone}")`,
      field: 'timeZone',
      input: { timeZone },
    })),
    ...[0, 101, -1].map((count) => ({ name: `count ${count}`, field: 'count', input: { count } })),
  ];

  it.each(REFUSED)('$name is a ValidationError on $field', async ({ field, input }) => {
    const request = { rule: 'FREQ=DAILY', timeZone: BERLIN, count: 5, ...input };
    const response = await previewRequest(request.rule, START, request.timeZone, request.count);
    expect(response.status).toBe(200);
    expectValidationError(response, field);
  });

  it('count 1 and count 100 are the bounds', async () => {
    expect(await preview('FREQ=DAILY', START, BERLIN, 1)).toEqual(['2026-01-06T08:00:00.000Z']);
    const hundred = await preview('FREQ=DAILY', START, BERLIN, 100);
    expect(hundred).toHaveLength(100);
    expect(hundred[99]).toBe('2026-04-15T07:00:00.000Z');
  });

  it.each([
    { startAt: '2026-13-01T09:00:00Z' },
    { startAt: 'tomorrow at nine' },
    { startAt: '2026-03-30T09:00:00' },
    { startAt: '' },
    { startAt: '2026-02-30' },
  ])(
    'a malformed startAt ("$startAt") in a variable is a GraphQL scalar error (HTTP 400), not a 500',
    async ({ startAt }) => {
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

  /** Creates a task of `owner` in Berlin, due tomorrow at 09:00 unless `input` says otherwise. */
  const create = (owner: TestUser, input: Record<string, unknown>) =>
    createTask<SkippedTask>(
      owner,
      { dueAt: berlinNineAm(1), timeZone: BERLIN, ...input },
      SKIP_FIELDS,
    );

  it('moves a daily task due tomorrow at 09:00 Berlin to the day after, 09:00 Berlin', async () => {
    const owner = await api.user('skipper');
    const created = await create(owner, {
      title: 'Stand-up',
      recurrenceRule: 'FREQ=DAILY',
      remindBeforeMinutes: 15,
    });
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

  it.each([
    { name: 'a task without a recurrence rule', input: { title: 'Once' }, complete: false },
    {
      name: 'a completed recurring task',
      input: { title: 'Water plants', recurrenceRule: 'FREQ=DAILY' },
      complete: true,
    },
  ])('refuses $name: ValidationError on id', async ({ input, complete }) => {
    const owner = await api.user('skipper');
    const created = await create(owner, input);
    const task = complete
      ? await completeTask<SkippedTask>(owner, created.id, SKIP_FIELDS)
      : created;
    const payload = await skip(owner, task.id);
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    // Nothing changed.
    expect(await read(owner, task.id)).toEqual(task);
  });

  it('with COUNT=2 the first skip moves to the last occurrence and a second is refused', async () => {
    const owner = await api.user('skipper');
    const task = await create(owner, { title: 'Twice', recurrenceRule: 'FREQ=DAILY;COUNT=2' });
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
    const task = await create(owner, { title: 'Mine', recurrenceRule: 'FREQ=DAILY' });
    const payload = await skip(other, task.id);
    expect(payload).toMatchObject({ __typename: 'NotFoundError', entity: 'Task', id: task.id });
    expect(await read(owner, task.id)).toEqual(task);
  });

  it('agrees with recurrencePreview on where a COUNT series ends (startAt off the rule)', async () => {
    // Tuesday, January 8, 2030 at 09:00 Berlin; Mondays and Wednesdays, 2 instances in all.
    const owner = await api.user('skipper');
    const rule = 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=2';
    const dueAt = '2030-01-08T08:00:00.000Z';
    const task = await create(owner, { title: 'Off the rule', dueAt, recurrenceRule: rule });
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
    const task = await create(owner, { title: 'Night job', dueAt, recurrenceRule: 'FREQ=DAILY' });
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
