/**
 * taskStats: completions per calendar day in the caller's time zone, and the overdue, pending and
 * completed counts, against real PostgreSQL.
 */
import { DateTime } from 'luxon';
import { expectValidationError, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

const STATS = `query($days: Int, $timeZone: String) {
  taskStats(days: $days, timeZone: $timeZone) {
    completedPerDay { date count } overdueCount pendingCount completedCount } }`;

interface Stats {
  completedPerDay: { date: string; count: number }[];
  overdueCount: number;
  pendingCount: number;
  completedCount: number;
}

async function stats(user: TestUser, variables: Record<string, unknown>): Promise<Stats> {
  const response = await user.gql<{ taskStats: Stats }>(STATS, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.taskStats;
}

/** Stores tasks as the API would have left them, completed at the given moments. */
async function insertTasks(
  userId: string,
  tasks: { completedAt?: DateTime; dueAt?: DateTime }[],
): Promise<void> {
  await api.knex('tasks').insert(
    tasks.map(({ completedAt, dueAt }, index) => ({
      user_id: userId,
      title: `Task ${index}`,
      completed: completedAt !== undefined,
      completed_at: completedAt?.toJSDate() ?? null,
      due_at: dueAt?.toJSDate() ?? null,
    })),
  );
}

/** The days that have completions, from a per-day list. */
const nonZero = (days: Stats['completedPerDay']) =>
  Object.fromEntries(days.filter((d) => d.count > 0).map((d) => [d.date, d.count]));

// India is 5:30 ahead of UTC all year: 00:10 there is 18:40 the day before in UTC.
const ZONE = 'Asia/Kolkata';
let user: TestUser;
let other: TestUser;
let today: DateTime;
let completions: DateTime[];

beforeAll(async () => {
  [user, other] = await Promise.all([api.user('stats'), api.user('stats-other')]);
  today = DateTime.now().setZone(ZONE).startOf('day');
  completions = [
    today.plus({ minutes: 10 }),
    today.minus({ minutes: 10 }),
    today.minus({ hours: 12 }),
    today.minus({ days: 3 }).plus({ hours: 9 }),
    // The first day of 28 (today - 27) and one day before it.
    today.minus({ days: 27 }).plus({ minutes: 1 }),
    today.minus({ days: 27 }).minus({ minutes: 1 }),
  ];
  await insertTasks(user.userId, [
    ...completions.map((completedAt) => ({ completedAt })),
    // Overdue: pending with a due date passed; a completed one with a passed due date is not.
    { dueAt: DateTime.now().minus({ hours: 2 }) },
    { dueAt: DateTime.now().minus({ days: 9 }) },
    { dueAt: DateTime.now().minus({ days: 1 }), completedAt: today.minus({ days: 1 }) },
    // Pending, not overdue.
    { dueAt: DateTime.now().plus({ days: 1 }) },
    {},
  ]);
  // Another user's tasks, completed on the same days and overdue: never counted.
  await insertTasks(other.userId, [
    ...completions.map((completedAt) => ({ completedAt })),
    { dueAt: DateTime.now().minus({ hours: 1 }) },
  ]);
});

const dateOf = (moment: DateTime) => moment.toFormat('yyyy-MM-dd');

it('counts completions per day in the given zone, days without any at 0, oldest first', async () => {
  const result = await stats(user, { timeZone: ZONE });

  expect(result.completedPerDay).toHaveLength(28);
  expect(result.completedPerDay[0]!.date).toBe(dateOf(today.minus({ days: 27 })));
  expect(result.completedPerDay.at(-1)!.date).toBe(dateOf(today));
  const dates = result.completedPerDay.map((d) => d.date);
  expect([...dates].sort()).toEqual(dates);
  expect(new Set(dates).size).toBe(28);
  expect(nonZero(result.completedPerDay)).toEqual({
    [dateOf(today)]: 1,
    [dateOf(today.minus({ days: 1 }))]: 3,
    [dateOf(today.minus({ days: 3 }))]: 1,
    [dateOf(today.minus({ days: 27 }))]: 1,
  });
  expect(result).toMatchObject({ overdueCount: 2, pendingCount: 4, completedCount: 7 });
});

it('moves a completion to another day when the day begins elsewhere', async () => {
  const result = await stats(user, { timeZone: 'UTC', days: 40 });
  const utcToday = DateTime.now().setZone('UTC').startOf('day');
  const expected: Record<string, number> = {};
  for (const moment of [...completions, today.minus({ days: 1 })]) {
    const date = dateOf(moment.setZone('UTC'));
    if (date >= dateOf(utcToday.minus({ days: 39 }))) expected[date] = (expected[date] ?? 0) + 1;
  }

  expect(result.completedPerDay).toHaveLength(40);
  expect(result.completedPerDay.at(-1)!.date).toBe(dateOf(utcToday));
  expect(nonZero(result.completedPerDay)).toEqual(expected);
  // 00:10 in India is 18:40 the day before in UTC.
  expect(expected[dateOf(completions[0]!.setZone('UTC'))]).toBeGreaterThan(0);
  expect(dateOf(completions[0]!.setZone('UTC'))).toBe(dateOf(today.minus({ days: 1 })));
});

it('defaults to 28 days in UTC, and one day is today only', async () => {
  const defaults = await stats(user, {});
  expect(defaults.completedPerDay).toHaveLength(28);
  expect(defaults.completedPerDay.at(-1)!.date).toBe(dateOf(DateTime.now().setZone('UTC')));

  const one = await stats(user, { days: 1, timeZone: ZONE });
  expect(one.completedPerDay).toEqual([{ date: dateOf(today), count: 1 }]);
});

it('counts only the caller’s tasks', async () => {
  const result = await stats(other, { timeZone: ZONE });
  expect(result).toMatchObject({ overdueCount: 1, pendingCount: 1, completedCount: 6 });
  expect(nonZero(result.completedPerDay)[dateOf(today.minus({ days: 1 }))]).toBe(2);

  const newcomer = await api.user('stats-new');
  const empty = await stats(newcomer, { days: 7 });
  expect(empty.completedPerDay.map((d) => d.count)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  expect(empty).toMatchObject({ overdueCount: 0, pendingCount: 0, completedCount: 0 });
});

it.each([
  [{ days: 0 }, 'days', /days must be at least 1/],
  [{ days: 367 }, 'days', /days must be at most 366/],
  [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone', /not an IANA time zone/],
  [{ timeZone: '+02:00' }, 'timeZone', /not an IANA time zone/],
])('refuses %j with a typed error on %s', async (variables, field, message) => {
  const response = await user.gql(STATS, variables);
  expectValidationError(response, field);
  expect(response.errors![0]!.message).toMatch(message);
});
