/**
 * The API accepts only dates the whole system can carry: years 0001-9999 in UTC and in every
 * time zone, which the event contract, the consumers and the live replay read back.
 */
import { eventSchema } from '../model/events/contracts.ts';
import { mutate, result, useTestApi, type TestUser } from '../test/api.ts';

const api = useTestApi();

let user: TestUser;
beforeAll(async () => {
  user = await api.user('dates');
});

const RANGE = /from 0001-01-02T00:00:00\.000Z to 9999-12-30T23:59:59\.999Z/;

/** Dates the DateTime scalar parses but that leave the years 0001-9999 somewhere. */
const OUT_OF_RANGE = [
  // The year -1 in UTC (10:00 on December 31, 1 BC).
  '0000-01-01T00:00:00+14:00',
  // The year 10000 in UTC.
  '9999-12-31T23:00:00-14:00',
  // 10:00 on January 1, 0001 in UTC is the year 0000 in Honolulu (local mean time, 10:31 behind).
  '0001-01-01T10:00:00Z',
  // December 31, 9999 in UTC is January 1, 10000 in Kiribati.
  '9999-12-31T10:00:00Z',
];

/** Asserts a ValidationError on `field` that names the range. */
function expectRangeError(payload: Record<string, any>, field: string): void {
  expect(payload).toMatchObject({ __typename: 'ValidationError', field });
  expect(payload.message).toMatch(RANGE);
}

/** Asserts a query refused with a ValidationError on `field` that names the range. */
function expectQueryRangeError(
  response: Awaited<ReturnType<TestUser['gql']>>,
  field: string,
): void {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]).toMatchObject({
    extensions: { code: 'VALIDATION_ERROR', type: 'ValidationError', field },
  });
  expect(response.errors![0]!.message).toMatch(RANGE);
}

describe('fault: dates the API accepted but the event contract refuses', () => {
  it.each(OUT_OF_RANGE)(
    'createTask refuses dueAt %s, naming the field and the range',
    async (dueAt) => {
      const payload = await mutate(user, 'createTask', { input: { title: 'Far', dueAt } }, 'id');
      expectRangeError(payload, 'input.dueAt');
    },
  );

  it.each(OUT_OF_RANGE)('updateTask refuses dueAt %s', async (dueAt) => {
    const created = await mutate(user, 'createTask', { input: { title: 'Near' } }, 'id');
    const payload = await mutate(
      user,
      'updateTask',
      { id: created.task.id, input: { dueAt } },
      'id',
    );
    expectRangeError(payload, 'input.dueAt');
  });

  it.each(OUT_OF_RANGE)('setReminder refuses remindAt %s', async (remindAt) => {
    const created = await mutate(user, 'createTask', { input: { title: 'Remind' } }, 'id');
    const payload = await mutate(user, 'setReminder', { taskId: created.task.id, remindAt }, 'id');
    expectRangeError(payload, 'remindAt');
  });

  it.each(OUT_OF_RANGE)('recurrencePreview refuses startAt %s', async (startAt) => {
    const response = await user.gql(
      `query($startAt: DateTime!) {
        recurrencePreview(rule: "FREQ=DAILY", startAt: $startAt, timeZone: "UTC", count: 3)
      }`,
      { startAt },
    );
    expectQueryRangeError(response, 'startAt');
  });

  it.each([
    { query: 'tasks(filter: $filter)', field: 'dueBefore' },
    { query: 'tasks(filter: $filter)', field: 'dueAfter' },
    { query: 'searchTasks(query: "far", filter: $filter)', field: 'dueBefore' },
  ])('$query refuses a filter $field out of range', async ({ query, field }) => {
    const response = await user.gql(
      `query($filter: TaskFilterInput) { ${query} { edges { cursor } } }`,
      { filter: { [field]: OUT_OF_RANGE[0] } },
    );
    expectQueryRangeError(response, `filter.${field}`);
  });

  it.each([
    { dueAt: '0001-01-02T00:00:00.000Z', timeZone: 'Pacific/Honolulu' },
    { dueAt: '9999-12-30T23:59:59.999Z', timeZone: 'Pacific/Kiritimati' },
  ])(
    'accepts the bound $dueAt in $timeZone, and its event passes the contract',
    async ({ dueAt, timeZone }) => {
      const payload = await mutate(
        user,
        'createTask',
        { input: { title: 'Edge', dueAt, timeZone, recurrenceRule: 'FREQ=YEARLY' } },
        'id dueAt',
      );
      expect(payload).toMatchObject({ __typename: 'CreateTaskSuccess', task: { dueAt } });
      const [row] = await api
        .knex('outbox')
        .where({ message_key: payload.task.id, event_type: 'task.created' });
      expect(eventSchema.safeParse(row.payload).success).toBe(true);
    },
  );

  it('skipOccurrence never moves a task past the last instant the system carries', async () => {
    // 20:00 daily in New York from December 28, 9999: December 29 and 30 are 01:00 UTC the day
    // after; December 31 would be January 1, 10000 in UTC.
    const created = await mutate(
      user,
      'createTask',
      {
        input: {
          title: 'Last days',
          dueAt: '9999-12-29T01:00:00.000Z',
          timeZone: 'America/New_York',
          recurrenceRule: 'FREQ=DAILY',
        },
      },
      'id dueAt',
    );
    const skip = async () =>
      (
        await user.gql(
          `mutation($id: ID!) { skipOccurrence(id: $id) { ${result('skipOccurrence', 'task', 'dueAt')} } }`,
          { id: created.task.id },
        )
      ).data!.skipOccurrence;
    expect(await skip()).toMatchObject({ task: { dueAt: '9999-12-30T01:00:00.000Z' } });
    expect(await skip()).toMatchObject({ __typename: 'ValidationError', field: 'id' });
  });
});
