/**
 * What a client's recurrence rule may cost the server: every walk through a rule is bounded,
 * the complexity limit counts that bound, and a request of many previews lets other requests
 * through between them.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createTask, result, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

/** Never: the fifth Monday of a month is its 29th, 30th or 31st, never its 1st. */
const NEVER = 'FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1';
/** Almost never: a Monday, February 29 comes every 28 years or so (2044 after 2016). */
const ALMOST_NEVER = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO';
const START = '2026-01-05T09:00:00+01:00';

/** A query of one recurrencePreview alias per rule. */
const previews = (rules: string[], count: number) =>
  `{ ${rules
    .map(
      (rule, i) =>
        `p${i}: recurrencePreview(rule: "${rule}", startAt: "${START}", timeZone: "Europe/Berlin", count: ${count})`,
    )
    .join('\n')} }`;

let user: TestUser;
beforeAll(async () => {
  user = await api.user('limits');
  // The server's first walks compile rrule, which under jest's module VM takes many times as
  // long as a walk (not so under plain Node): the bounds below are for the walks themselves.
  for (const rule of [NEVER, ALMOST_NEVER]) await user.gql(previews([rule], 100));
});

/**
 * Asserts that the response is refused with LimitExceededErrors of the search only, naming the
 * aliases' limits (GraphQL may stop at the first: every field is non-null).
 */
function expectSearchLimitErrors(
  response: Awaited<ReturnType<TestUser['gql']>>,
  max: Record<string, number>,
): void {
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors!) {
    const alias = (error as { path?: string[] }).path?.[0] ?? '';
    expect(error.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'recurrenceSearch',
      max: max[alias],
    });
  }
}

/**
 * No walk may hold the server this long, even on a 2-core machine shared with parallel test
 * files that stretch a 30-80 ms walk several-fold; an unbounded walk would hold it for ever.
 */
const HELD_AT_MOST_MS = 2_000;

/**
 * Runs `work`, and then one more preview, which the server computes after the previews it still
 * computes for `work` (GraphQL answers at a query's first error, and the other aliases' previews
 * are computed all the same). Resolves to the result, how long the work took, and the longest the
 * server held its event loop meanwhile (in milliseconds): what another request, `/health` say,
 * waited at most. The server runs in this process, so a client here could not tell: its own
 * timers wait with the server's.
 */
async function heldDuring<T>(
  work: () => Promise<T>,
): Promise<{ value: T; heldMs: number; workMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  try {
    const started = performance.now();
    const value = await work();
    await user.gql(previews(['FREQ=DAILY'], 1));
    return { value, heldMs: delay.max / 1e6, workMs: performance.now() - started };
  } finally {
    delay.disable();
  }
}

describe('attack: rules that never or almost never occur in recurrencePreview', () => {
  it('two aliases do not hold the server for both walks, and both are LimitExceededErrors', async () => {
    const {
      value: response,
      heldMs,
      workMs,
    } = await heldDuring(() => user.gql(previews([NEVER, ALMOST_NEVER], 100)));
    // Other requests are served between the two walks: the loop is held for one, not both.
    expect(heldMs).toBeLessThan(0.75 * workMs);
    expect(heldMs).toBeLessThan(HELD_AT_MOST_MS);
    expect(response.status).toBe(200);
    expectSearchLimitErrors(response, { p0: 1250, p1: 5000 });
  }, 120_000);

  it('ten aliases do not hold the server for all ten walks either', async () => {
    const rules = Array<string>(10).fill(NEVER);
    const {
      value: response,
      heldMs,
      workMs,
    } = await heldDuring(() => user.gql(previews(rules, 1)));
    expect(heldMs).toBeLessThan(workMs / 3);
    expect(heldMs).toBeLessThan(HELD_AT_MOST_MS);
    expectSearchLimitErrors(response, Object.fromEntries(rules.map((_, i) => [`p${i}`, 1250])));
  }, 300_000);

  it('a rare date said by the week answers the occurrences found within the search', async () => {
    // 2,500 weeks from January 2026 reach November 2073: two Mondays that are February 29.
    const response = await user.gql(
      previews(['FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO'], 100),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      p0: ['2044-02-29T08:00:00.000Z', '2072-02-29T08:00:00.000Z'],
    });
  });
});

describe('the complexity of recurrencePreview reflects its bounded walk', () => {
  it.each([
    // 1,002 each: the search (5,000 units of work) and one conversion, 5 units a point.
    { aliases: 19, count: 1, accepted: true },
    { aliases: 20, count: 1, accepted: false },
    // 1,200 each: the search and 100 conversions.
    { aliases: 16, count: 100, accepted: true },
    { aliases: 17, count: 100, accepted: false },
  ])(
    '$aliases aliases of count $count: accepted $accepted',
    async ({ aliases, count, accepted }) => {
      const response = await user.gql(previews(Array<string>(aliases).fill('FREQ=DAILY'), count));
      if (accepted) {
        expect(response.errors).toBeUndefined();
        expect(Object.keys(response.data!)).toHaveLength(aliases);
      } else {
        expect(response.data ?? null).toBeNull();
        expect(response.errors![0]!.message).toMatch(
          /^Query exceeds maximum complexity \(complexity: \d+, max: 20000\)$/,
        );
      }
    },
    60_000,
  );
});

describe('attack: skipOccurrence of a task whose rule never occurs', () => {
  it('answers LimitExceededError at once and leaves the task as it was', async () => {
    const owner = await api.user('skipper');
    const fields = 'id dueAt seriesIndex version';
    const task = await createTask<{ id: string }>(
      owner,
      { title: 'Never', dueAt: '2030-01-07T08:00:00.000Z', recurrenceRule: NEVER },
      fields,
    );
    const started = performance.now();
    const response = await owner.gql(
      `mutation($id: ID!) { skipOccurrence(id: $id) { ${result('skipOccurrence', 'task', fields)} } }`,
      { id: task.id },
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.errors).toBeUndefined();
    expect(response.data!.skipOccurrence).toMatchObject({
      __typename: 'LimitExceededError',
      limit: 'recurrenceSearch',
      max: 1250,
    });
    const after = await owner.gql(`query($id: ID!) { task(id: $id) { ${fields} } }`, {
      id: task.id,
    });
    expect(after.data!.task).toEqual(task);
  });
});
