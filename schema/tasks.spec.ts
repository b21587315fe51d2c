import {
  createLabel,
  createTask,
  inHours,
  mutate,
  MUTATIONS,
  useTestApi,
  type TestUser,
} from '../test/api.ts';

const api = useTestApi();

/** Runs createTask and returns its result payload (a success or a typed error). */
const create = (user: TestUser, input: Record<string, unknown>) =>
  mutate(user, 'createTask', { input });
const tag = async (user: TestUser, name: string) => (await createLabel(user, 'Tag', name)).id;

const rowCount = async (user: TestUser) =>
  Number((await api.knex('tasks').where({ user_id: user.userId }).count({ n: '*' }).first())!.n);

describe('createTask', () => {
  it('creates a task with the defaults', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: '  Buy milk  ' });
    expect(task).toMatchObject({
      title: 'Buy milk',
      description: null,
      completed: false,
      completedAt: null,
      priority: 'MEDIUM',
      dueAt: null,
      timeZone: 'UTC',
      category: null,
      tags: [],
      recurrenceRule: null,
      recurrenceAnchor: 'DUE_DATE',
      remindBeforeMinutes: null,
      remindAt: null,
      version: 1,
    });
    expect(task.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates a task with every field, atomically with its tags', async () => {
    const user = await api.user();
    const categoryId = (await createLabel(user, 'Category', 'Work', '#aabbcc')).id;
    const tagA = await tag(user, 'alpha');
    const tagB = await tag(user, 'beta');
    const dueAt = '2030-03-29T09:00:00+02:00';
    const task = await createTask(user, {
      title: 'Report',
      description: 'Quarterly numbers',
      priority: 'URGENT',
      dueAt,
      timeZone: 'europe/berlin',
      categoryId,
      tagIds: [tagB, tagA, tagB],
      recurrenceRule: 'rrule:freq=weekly;byday=mo,fr',
      recurrenceAnchor: 'COMPLETION',
      remindBeforeMinutes: 30,
    });
    expect(task).toMatchObject({
      description: 'Quarterly numbers',
      priority: 'URGENT',
      dueAt: '2030-03-29T07:00:00.000Z',
      timeZone: 'Europe/Berlin',
      category: { id: categoryId, name: 'Work' },
      tags: [
        { id: tagA, name: 'alpha' },
        { id: tagB, name: 'beta' },
      ],
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO,FR',
      recurrenceAnchor: 'COMPLETION',
      remindBeforeMinutes: 30,
      remindAt: '2030-03-29T06:30:00.000Z',
    });
  });

  it('reminds an hour before the due date by default, or at once when that hour has begun', async () => {
    const user = await api.user();
    const later = await createTask(user, { title: 'later', dueAt: '2030-01-01T12:00:00Z' });
    expect(later).toMatchObject({ remindBeforeMinutes: 60, remindAt: '2030-01-01T11:00:00.000Z' });

    const before = Date.now();
    const soon = await createTask(user, { title: 'soon', dueAt: inHours(0.5) });
    expect(new Date(soon.remindAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(soon.remindAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const overdue = await createTask(user, { title: 'overdue', dueAt: inHours(-1) });
    expect(overdue.remindAt).toBeNull();
  });

  it.each([
    ['an empty title', { title: '' }, 'input.title', /must not be empty/],
    ['a blank title', { title: '   ' }, 'input.title', /must not be empty/],
    ['a 201-character title', { title: 'x'.repeat(201) }, 'input.title', /at most 200 characters/],
    [
      'a description over 10,000 characters',
      { title: 't', description: 'd'.repeat(10_001) },
      'input.description',
      /at most 10000/,
    ],
    [
      'an unknown time zone',
      { title: 't', timeZone: 'Mars/Phobos' },
      'input.timeZone',
      /not an IANA time zone/,
    ],
    [
      'FREQ=SECONDLY',
      { title: 't', recurrenceRule: 'FREQ=SECONDLY' },
      'input.recurrenceRule',
      /DAILY, WEEKLY, MONTHLY or YEARLY/,
    ],
    [
      'an unparseable rule',
      { title: 't', recurrenceRule: 'every tuesday' },
      'input.recurrenceRule',
      /NAME=VALUE/,
    ],
    [
      'a rule part outside the allowed set',
      { title: 't', recurrenceRule: 'FREQ=DAILY;BYHOUR=9' },
      'input.recurrenceRule',
      /BYHOUR is not supported/,
    ],
    [
      'a reminder without a due date',
      { title: 't', remindBeforeMinutes: 10 },
      'remindBeforeMinutes',
      /needs a due date/,
    ],
    [
      'a reminder in the past',
      { title: 't', dueAt: '2020-01-01T00:00:00Z', remindBeforeMinutes: 10 },
      'remindBeforeMinutes',
      /in the past/,
    ],
    [
      'a negative reminder offset',
      { title: 't', dueAt: '2030-01-01T00:00:00Z', remindBeforeMinutes: -5 },
      'input.remindBeforeMinutes',
      /negative/,
    ],
    [
      'a malformed category id',
      { title: 't', categoryId: 'not-an-id' },
      'input.categoryId',
      /category id/,
    ],
    ['a malformed tag id', { title: 't', tagIds: ['nope'] }, 'input.tagIds.0', /tag id/],
    [
      'an empty idempotency key',
      { title: 't', idempotencyKey: '' },
      'input.idempotencyKey',
      /must not be empty/,
    ],
  ])(
    'refuses %s with a ValidationError on %s and creates nothing',
    async (_name, input, field, message) => {
      const user = await api.user();
      const payload = await create(user, input);
      expect(payload).toMatchObject({ __typename: 'ValidationError', field });
      expect(payload.message).toMatch(message);
      expect(await rowCount(user)).toBe(0);
    },
  );

  it('refuses an 11th tag, and unknown category or tag ids, creating nothing', async () => {
    const user = await api.user();
    const tags = await Promise.all(Array.from({ length: 11 }, (_, i) => tag(user, `t${i}`)));
    expect(await create(user, { title: 't', tagIds: tags })).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.tagIds',
      message: 'input.tagIds may hold at most 10 different tags',
    });
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await create(user, { title: 't', categoryId: missing })).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Category',
      id: missing,
    });
    expect(await create(user, { title: 't', tagIds: [tags[0], missing] })).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Tag',
      id: missing,
    });
    expect(await rowCount(user)).toBe(0);
    expect(await api.knex('task_tags').where({ user_id: user.userId })).toEqual([]);
  });

  it('refuses an unknown priority and a malformed date before running anything', async () => {
    const user = await api.user();
    const priority = await user.gql(MUTATIONS.createTask, {
      input: { title: 't', priority: 'CRITICAL' },
    });
    expect(priority.data).toBeUndefined();
    expect(priority.errors![0]!.message).toMatch(/"CRITICAL".*Priority/);
    const date = await user.gql(MUTATIONS.createTask, {
      input: { title: 't', dueAt: 'next tuesday' },
    });
    expect(date.errors![0]!.message).toMatch(/DateTime/);
    expect(await rowCount(user)).toBe(0);
  });

  it('returns the first task for a repeated idempotency key', async () => {
    const user = await api.user();
    const [first, second] = await Promise.all([
      createTask(user, { title: 'once', idempotencyKey: 'key-1' }),
      createTask(user, { title: 'once', idempotencyKey: 'key-1' }),
    ]);
    expect(second.id).toBe(first.id);
    const third = await createTask(user, { title: 'once again', idempotencyKey: 'key-1' });
    expect(third).toMatchObject({ id: first.id, title: 'once' });
    expect(await rowCount(user)).toBe(1);
    const other = await api.user();
    expect((await createTask(other, { title: 'x', idempotencyKey: 'key-1' })).id).not.toBe(
      first.id,
    );
  });
});

describe('updateTask', () => {
  it('changes only the given fields, and null clears the nullable ones', async () => {
    const user = await api.user();
    const tagA = await tag(user, 'a');
    const task = await createTask(user, {
      title: 'Draft',
      description: 'long text',
      dueAt: '2030-01-01T12:00:00Z',
      tagIds: [tagA],
      recurrenceRule: 'FREQ=DAILY',
    });
    const renamed = (
      await user.gql(MUTATIONS.updateTask, { id: task.id, input: { title: 'Final' } })
    ).data!.updateTask;
    expect(renamed.task).toMatchObject({
      ...task,
      title: 'Final',
      version: 2,
      updatedAt: expect.any(String),
    });

    const cleared = (
      await user.gql(MUTATIONS.updateTask, {
        id: task.id,
        input: {
          description: null,
          dueAt: null,
          tagIds: null,
          recurrenceRule: null,
          priority: 'LOW',
        },
      })
    ).data!.updateTask.task;
    expect(cleared).toMatchObject({
      title: 'Final',
      description: null,
      dueAt: null,
      tags: [],
      recurrenceRule: null,
      priority: 'LOW',
      remindBeforeMinutes: null,
      remindAt: null,
    });
  });

  it('replaces the tags when tagIds is given', async () => {
    const user = await api.user();
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => tag(user, name)));
    const task = await createTask(user, { title: 't', tagIds: [a, b] });
    const updated = (
      await user.gql(MUTATIONS.updateTask, { id: task.id, input: { tagIds: [c, b] } })
    ).data!.updateTask.task;
    expect(updated.tags.map((t: { name: string }) => t.name)).toEqual(['b', 'c']);
  });

  it('moves a relative reminder with the due date and re-arms it', async () => {
    const user = await api.user();
    const task = await createTask(user, {
      title: 't',
      dueAt: '2030-01-01T12:00:00Z',
      remindBeforeMinutes: 15,
    });
    await api.knex('tasks').where({ id: task.id }).update({ reminder_sent_at: new Date() });
    const moved = (
      await user.gql(MUTATIONS.updateTask, {
        id: task.id,
        input: { dueAt: '2030-01-02T12:00:00Z' },
      })
    ).data!.updateTask.task;
    expect(moved).toMatchObject({
      remindBeforeMinutes: 15,
      remindAt: '2030-01-02T11:45:00.000Z',
      reminderSentAt: null,
    });
  });

  it('gives a task that gains a due date the default reminder', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't' });
    const dated = (
      await user.gql(MUTATIONS.updateTask, {
        id: task.id,
        input: { dueAt: '2030-01-01T12:00:00Z' },
      })
    ).data!.updateTask.task;
    expect(dated).toMatchObject({ remindBeforeMinutes: 60, remindAt: '2030-01-01T11:00:00.000Z' });
  });

  it('refuses a due date before an absolute reminder, and null for required fields, changing nothing', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't', dueAt: '2030-01-02T12:00:00Z' });
    await user.gql(MUTATIONS.setReminder, { taskId: task.id, remindAt: '2030-01-02T10:00:00Z' });
    const early = (
      await user.gql(MUTATIONS.updateTask, {
        id: task.id,
        input: { dueAt: '2030-01-02T09:00:00Z' },
      })
    ).data!.updateTask;
    expect(early).toMatchObject({ __typename: 'ValidationError', field: 'input.dueAt' });
    expect(early.message).toMatch(/before the task's reminder/);
    for (const field of ['title', 'priority', 'timeZone', 'recurrenceAnchor']) {
      const payload = (
        await user.gql(MUTATIONS.updateTask, { id: task.id, input: { [field]: null } })
      ).data!.updateTask;
      expect(payload).toMatchObject({ __typename: 'ValidationError', field: `input.${field}` });
    }
    const after = (
      await user.gql(`query($id: ID!) { task(id: $id) { dueAt remindAt version } }`, {
        id: task.id,
      })
    ).data!.task;
    expect(after).toEqual({
      dueAt: '2030-01-02T12:00:00.000Z',
      remindAt: '2030-01-02T10:00:00.000Z',
      version: 2,
    });
  });

  it('answers NotFoundError for an unknown id and ValidationError for a malformed one', async () => {
    const user = await api.user();
    const missing = '00000000-0000-4000-8000-000000000001';
    expect(
      (await user.gql(MUTATIONS.updateTask, { id: missing, input: { title: 'x' } })).data!
        .updateTask,
    ).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Task',
      id: missing,
      message: `Task ${missing} does not exist.`,
    });
    expect(
      (await user.gql(MUTATIONS.updateTask, { id: 'abc', input: { title: 'x' } })).data!.updateTask,
    ).toMatchObject({
      __typename: 'ValidationError',
      field: 'id',
    });
  });
});

describe('completeTask, reopenTask and deleteTask', () => {
  it('completes once, reopens, and deletes with the tags', async () => {
    const user = await api.user();
    const tagId = await tag(user, 'x');
    const task = await createTask(user, { title: 't', tagIds: [tagId] });

    const done = (await user.gql(MUTATIONS.completeTask, { id: task.id })).data!.completeTask.task;
    expect(done.completed).toBe(true);
    expect(new Date(done.completedAt).getTime()).toBeLessThanOrEqual(Date.now());
    const again = (await user.gql(MUTATIONS.completeTask, { id: task.id })).data!.completeTask.task;
    expect(again).toEqual(done);

    const reopened = (await user.gql(MUTATIONS.reopenTask, { id: task.id })).data!.reopenTask.task;
    expect(reopened).toMatchObject({ completed: false, completedAt: null });

    const deleted = (await user.gql(MUTATIONS.deleteTask, { id: task.id })).data!.deleteTask;
    expect(deleted).toMatchObject({
      __typename: 'DeleteTaskSuccess',
      task: { id: task.id, title: 't' },
    });
    expect(
      (await user.gql(`query($id: ID!) { task(id: $id) { id } }`, { id: task.id })).data!.task,
    ).toBeNull();
    expect(await api.knex('task_tags').where({ task_id: task.id })).toEqual([]);
    expect(
      (await user.gql(MUTATIONS.deleteTask, { id: task.id })).data!.deleteTask.__typename,
    ).toBe('NotFoundError');
  });
});

describe('setReminder and clearReminder', () => {
  it('sets a relative or absolute reminder, re-arming a sent one, and clears it', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't', dueAt: '2030-01-01T12:00:00Z' });
    await api.knex('tasks').where({ id: task.id }).update({ reminder_sent_at: new Date() });
    const relative = (
      await user.gql(MUTATIONS.setReminder, { taskId: task.id, remindBeforeMinutes: 120 })
    ).data!.setReminder.task;
    expect(relative).toMatchObject({
      remindBeforeMinutes: 120,
      remindAt: '2030-01-01T10:00:00.000Z',
      reminderSentAt: null,
    });
    const absolute = (
      await user.gql(MUTATIONS.setReminder, { taskId: task.id, remindAt: '2029-12-31T08:00:00Z' })
    ).data!.setReminder.task;
    expect(absolute).toMatchObject({
      remindBeforeMinutes: null,
      remindAt: '2029-12-31T08:00:00.000Z',
    });
    const cleared = (await user.gql(MUTATIONS.clearReminder, { taskId: task.id })).data!
      .clearReminder.task;
    expect(cleared).toMatchObject({ remindBeforeMinutes: null, remindAt: null });
  });

  it('takes an absolute reminder on a task without a due date', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't' });
    const at = inHours(2);
    const set = (await user.gql(MUTATIONS.setReminder, { taskId: task.id, remindAt: at })).data!
      .setReminder.task;
    expect(set.remindAt).toBe(at);
  });

  it.each([
    [{}, 'remindBeforeMinutes', /exactly one/],
    [
      { remindBeforeMinutes: 5, remindAt: '2030-01-01T00:00:00Z' },
      'remindBeforeMinutes',
      /exactly one/,
    ],
    [{ remindAt: '2020-01-01T00:00:00Z' }, 'remindAt', /in the future/],
    [{ remindAt: '2030-01-01T13:00:00Z' }, 'remindAt', /not be after the due date/],
    [{ remindBeforeMinutes: 100_000_000 }, 'remindBeforeMinutes', /at most 525600/],
  ])('refuses %j, changing nothing', async (args, field, message) => {
    const user = await api.user();
    const task = await createTask(user, { title: 't', dueAt: '2030-01-01T12:00:00Z' });
    const payload = (await user.gql(MUTATIONS.setReminder, { taskId: task.id, ...args })).data!
      .setReminder;
    expect(payload).toMatchObject({ __typename: 'ValidationError', field });
    expect(payload.message).toMatch(message);
    const after = (
      await user.gql(`query($id: ID!) { task(id: $id) { remindAt version } }`, { id: task.id })
    ).data!.task;
    expect(after).toEqual({ remindAt: task.remindAt, version: 1 });
  });

  it('refuses minutes before the due date for a task without one', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't' });
    const payload = (
      await user.gql(MUTATIONS.setReminder, { taskId: task.id, remindBeforeMinutes: 5 })
    ).data!.setReminder;
    expect(payload).toMatchObject({ __typename: 'ValidationError', field: 'remindBeforeMinutes' });
  });
});

describe('addTagToTask and removeTagFromTask', () => {
  it('adds a tag once however often it is added, and removes it harmlessly twice', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't' });
    const tagId = await tag(user, 'home');
    await user.gql(MUTATIONS.addTagToTask, { taskId: task.id, tagId });
    const twice = (await user.gql(MUTATIONS.addTagToTask, { taskId: task.id, tagId })).data!
      .addTagToTask;
    expect(twice.task.tags).toEqual([{ id: tagId, name: 'home' }]);
    expect(
      (await user.gql(MUTATIONS.removeTagFromTask, { taskId: task.id, tagId })).data!
        .removeTagFromTask.task.tags,
    ).toEqual([]);
    expect(
      (await user.gql(MUTATIONS.removeTagFromTask, { taskId: task.id, tagId })).data!
        .removeTagFromTask.__typename,
    ).toBe('RemoveTagFromTaskSuccess');
  });

  it('refuses an 11th tag with LimitExceededError', async () => {
    const user = await api.user();
    const tags = await Promise.all(Array.from({ length: 11 }, (_, i) => tag(user, `t${i}`)));
    const task = await createTask(user, { title: 't', tagIds: tags.slice(0, 10) });
    const payload = (await user.gql(MUTATIONS.addTagToTask, { taskId: task.id, tagId: tags[10] }))
      .data!.addTagToTask;
    expect(payload).toMatchObject({
      __typename: 'LimitExceededError',
      limit: 'tagsPerTask',
      max: 10,
    });
    expect(payload.message).toMatch(/at most 10 tags/);
    expect(
      await api.knex('task_tags').where({ task_id: task.id }).count({ n: '*' }).first(),
    ).toEqual({ n: 10 });
  });

  it('answers NotFoundError for an unknown tag or task', async () => {
    const user = await api.user();
    const task = await createTask(user, { title: 't' });
    const missing = '00000000-0000-4000-8000-000000000002';
    expect(
      (await user.gql(MUTATIONS.addTagToTask, { taskId: task.id, tagId: missing })).data!
        .addTagToTask,
    ).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Tag',
    });
    const tagId = await tag(user, 'x');
    expect(
      (await user.gql(MUTATIONS.addTagToTask, { taskId: missing, tagId })).data!.addTagToTask,
    ).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Task',
    });
  });
});
