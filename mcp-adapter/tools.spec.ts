import { randomUUID } from 'node:crypto';
import { inHours, useTestApi, type TestUser } from '../test/api.ts';
import { callTool, connect, type TestClient, type TransportKind } from '../test/mcp.ts';

const api = useTestApi({ ownDatabase: true });

/** Everything a user owns, as GraphQL sees it: a bad call must leave it exactly as it was. */
const SNAPSHOT = `{
  tasks(first: 100) { totalCount edges { node { id version title remindAt tags { id } category { id } } } }
  categories { id name color } tags { id name color }
}`;
const snapshot = async (user: TestUser) => (await user.gql(SNAPSHOT)).data;

describe.each<TransportKind>(['http', 'stdio'])('every tool over %s', (kind) => {
  let user: TestUser;
  let mcp: TestClient;
  const call = (name: string, args: Record<string, unknown> = {}) =>
    callTool(mcp.client, name, args);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    user = await api.user(kind);
    mcp = await connect(kind, api, user.token);
  });
  afterAll(() => mcp.close());

  it('works with good arguments', async () => {
    const category = await call('create_category', { name: 'Home', color: '#112233' });
    expect(category).toMatchObject({
      isError: false,
      structured: { name: 'Home', color: '#112233' },
    });
    expect(category.text).toContain(category.structured.id);
    ids.category = category.structured.id;

    const tag = await call('create_tag', { name: 'garden' });
    expect(tag.structured).toMatchObject({ name: 'garden', color: '#6B7280', task_count: 0 });
    ids.tag = tag.structured.id;
    ids.tag2 = (await call('create_tag', { name: 'weekly', color: '#abcdef' })).structured.id;

    const due = inHours(48);
    const input = {
      title: 'Mow the lawn',
      description: 'Front and back',
      due_date: due,
      time_zone: 'Europe/Berlin',
      priority: 'high',
      category_id: ids.category,
      tag_ids: [ids.tag],
      idempotency_key: `mow-${kind}`,
    };
    const added = await call('add_task', input);
    expect(added.isError).toBe(false);
    expect(added.structured).toMatchObject({
      title: 'Mow the lawn',
      description: 'Front and back',
      priority: 'high',
      completed: false,
      time_zone: 'Europe/Berlin',
      category: { id: ids.category, name: 'Home' },
      tags: [{ id: ids.tag, name: 'garden' }],
      remind_before_minutes: 60,
    });
    expect(new Date(added.structured.due_date).toISOString()).toBe(due);
    expect(added.structured.due_date).toMatch(/\+0[12]:00$/);
    expect(added.text).toMatch(/^Added "Mow the lawn" \[/);
    ids.task = added.structured.id;

    const retried = await call('add_task', input);
    expect(retried.structured.id).toBe(ids.task);

    const got = await call('get_task', { task_id: ids.task });
    expect(got.structured).toMatchObject({ id: ids.task, title: 'Mow the lawn' });

    const updated = await call('update_task', {
      task_id: ids.task,
      title: 'Mow the lawns',
      description: null,
      priority: 'urgent',
    });
    expect(updated.structured).toMatchObject({ title: 'Mow the lawns', priority: 'urgent' });
    expect(updated.structured.description).toBeUndefined();

    const second = await call('add_task', { title: 'Buy seeds', due_date: inHours(5) });
    ids.second = second.structured.id;
    const overdue = await call('add_task', { title: 'Pay the gardener', due_date: inHours(-3) });
    ids.overdue = overdue.structured.id;

    const byDue = await call('list_tasks', { status: 'pending', sort_by: 'due_date', limit: 2 });
    expect(byDue.structured.tasks.map((t: { id: string }) => t.id)).toEqual([
      ids.overdue,
      ids.second,
    ]);
    expect(byDue.structured.total).toBe(3);
    const rest = await call('list_tasks', {
      status: 'pending',
      sort_by: 'due_date',
      limit: 2,
      cursor: byDue.structured.next_cursor,
    });
    expect(rest.structured.tasks.map((t: { id: string }) => t.id)).toEqual([ids.task]);
    expect(rest.structured.next_cursor).toBeUndefined();
    const filtered = await call('list_tasks', {
      priorities: ['urgent', 'high'],
      category_id: ids.category,
      tag_ids: [ids.tag, ids.tag2],
      due_after: inHours(24),
      due_before: inHours(72),
      sort_by: 'title',
      order: 'desc',
    });
    expect(filtered.structured.tasks.map((t: { id: string }) => t.id)).toEqual([ids.task]);

    const found = await call('search_tasks', { query: 'lawn', status: 'pending' });
    expect(found.structured.tasks).toHaveLength(1);
    expect(found.structured.tasks[0]).toMatchObject({ id: ids.task });
    expect(found.structured.tasks[0].highlight).toContain('<mark>');

    const reminder = await call('set_reminder', { task_id: ids.task, remind_before_minutes: 30 });
    expect(reminder.structured).toMatchObject({ remind_before_minutes: 30 });
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const absolute = await call('set_reminder', { task_id: ids.task, remind_at: at });
    expect(new Date(absolute.structured.remind_at).toISOString()).toBe(at);

    const tagged = await call('add_tag_to_task', { task_id: ids.task, tag_id: ids.tag2 });
    expect(tagged.structured.tags.map((t: { id: string }) => t.id).sort()).toEqual(
      [ids.tag, ids.tag2].sort(),
    );
    const untagged = await call('remove_tag_from_task', { task_id: ids.task, tag_id: ids.tag2 });
    expect(untagged.structured.tags).toEqual([{ id: ids.tag, name: 'garden' }]);

    const categories = await call('list_categories');
    expect(categories.structured.categories).toEqual([
      { id: ids.category, name: 'Home', color: '#112233', task_count: 1 },
    ]);
    const tags = await call('list_tags');
    expect(tags.structured.tags.map((t: { name: string }) => t.name)).toEqual(['garden', 'weekly']);

    const renamed = await call('update_category', { category_id: ids.category, name: 'House' });
    expect(renamed.structured).toMatchObject({ name: 'House', color: '#112233' });
    const recoloured = await call('update_tag', { tag_id: ids.tag2, color: '#000000' });
    expect(recoloured.structured).toMatchObject({ name: 'weekly', color: '#000000' });

    const overdueList = await call('get_overdue_tasks', { limit: 10 });
    expect(overdueList.structured.tasks.map((t: { id: string }) => t.id)).toEqual([ids.overdue]);
    const upcoming = await call('get_upcoming_tasks', { within_hours: 72 });
    expect(upcoming.structured.tasks.map((t: { id: string }) => t.id)).toEqual([
      ids.second,
      ids.task,
    ]);

    const completed = await call('complete_task', { task_id: ids.second });
    expect(completed.structured.task).toMatchObject({ id: ids.second, completed: true });
    expect(completed.structured.next_instance).toBeUndefined();
    expect(completed.text).toMatch(/^Completed "Buy seeds"/);
  });

  it('refuses bad arguments with a text that names the argument, and changes nothing', async () => {
    const before = await snapshot(user);
    const missing = randomUUID();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['add_task', { title: '' }, /Invalid title: must not be empty.*call add_task again/],
      [
        'add_task',
        { title: 'x', due_date: 'tomorrow' },
        /Invalid due_date: got "tomorrow".*ISO 8601 with offset/,
      ],
      ['add_task', { title: 'x', recurrence_rule: 'FREQ=SECONDLY' }, /Invalid recurrence_rule/],
      ['add_task', { title: 'x', time_zone: 'Mars/Olympus' }, /Invalid time_zone: .*IANA/],
      ['add_task', { title: 'x', priority: 'critical' }, /priority/],
      ['add_task', { titel: 'x' }, /title/],
      ['add_task', { title: 'x', tag_ids: [missing] }, /Tag .* does not exist.*tag_ids/],
      ['list_tasks', { limit: 500 }, /Invalid limit: .*100/],
      ['list_tasks', { due_before: 'soon' }, /Invalid due_before/],
      ['list_tasks', { sort_by: 'colour' }, /sort_by/],
      ['get_task', { task_id: missing }, new RegExp(`Task ${missing} does not exist.*task_id`)],
      ['get_task', { task_id: 'abc' }, /Task abc does not exist for you \(argument task_id\)/],
      ['update_task', { task_id: ids.task, title: 'x'.repeat(201) }, /Invalid title: .*200/],
      ['update_task', { task_id: ids.task, category_id: missing }, /category_id/],
      ['update_task', { taskId: ids.task, title: 'y' }, /taskId/],
      ['delete_task', { task_id: missing }, /does not exist.*task_id.*list_tasks/],
      ['complete_task', { task_id: missing }, /does not exist.*task_id/],
      ['create_category', { name: 'House' }, /name is already taken/],
      ['create_category', { name: 'Work', color: 'red' }, /Invalid color: .*#RRGGBB/],
      ['list_categories', { name: 'House' }, /Unrecognized key.*name/],
      ['update_category', { category_id: missing, name: 'x' }, /category_id/],
      ['update_category', { category_id: ids.category }, /name or color/],
      ['delete_category', { category_id: missing }, /Category .* does not exist.*category_id/],
      ['create_tag', { name: 'x'.repeat(31) }, /Invalid name: .*30/],
      ['list_tags', { limit: 5 }, /Unrecognized key.*limit/],
      ['update_tag', { tag_id: ids.tag2, name: 'garden' }, /name is already taken/],
      ['delete_tag', { tag_id: missing }, /Tag .* does not exist.*tag_id\)/],
      ['add_tag_to_task', { task_id: ids.task, tag_id: missing }, /tag_id\)/],
      ['remove_tag_from_task', { task_id: missing, tag_id: ids.tag }, /task_id/],
      ['search_tasks', { query: 'x'.repeat(501) }, /Invalid query: .*500/],
      ['search_tasks', {}, /query/],
      [
        'set_reminder',
        { task_id: ids.task, remind_before_minutes: 10, remind_at: inHours(1) },
        /Invalid remind_before_minutes: give exactly one of remind_before_minutes .* or remind_at/,
      ],
      [
        'set_reminder',
        { task_id: ids.task, remind_at: inHours(-1) },
        /Invalid remind_at: .*future/,
      ],
      ['get_overdue_tasks', { limit: -1 }, /Invalid limit/],
      ['get_upcoming_tasks', { within_hours: 0 }, /Invalid within_hours/],
    ];
    const failures: string[] = [];
    for (const [tool, args, expected] of cases) {
      const result = await call(tool, args);
      if (!result.isError || !expected.test(result.text)) {
        failures.push(`${tool} ${JSON.stringify(args)} -> ${result.isError} ${result.text}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(user)).toEqual(before);
  });

  it('deletes with good arguments', async () => {
    const deleted = await call('delete_task', { task_id: ids.overdue });
    expect(deleted.structured).toMatchObject({ id: ids.overdue, title: 'Pay the gardener' });
    expect((await call('get_task', { task_id: ids.overdue })).isError).toBe(true);
    expect((await call('delete_tag', { tag_id: ids.tag })).structured.name).toBe('garden');
    const category = await call('delete_category', { category_id: ids.category });
    expect(category.structured.name).toBe('House');
    const task = await call('get_task', { task_id: ids.task });
    expect(task.structured.tags).toEqual([]);
    expect(task.structured.category).toBeUndefined();
  });

  it("never shows or touches another user's data", async () => {
    const other = await api.user(`${kind}-other`);
    const theirs = await connect(kind, api, other.token);
    try {
      const before = await snapshot(user);
      const call2 = (name: string, args: Record<string, unknown> = {}) =>
        callTool(theirs.client, name, args);
      const own = await call2('add_task', { title: 'Mine', idempotency_key: `mow-${kind}` });
      expect(own.structured.id).not.toBe(ids.task);
      const list = await call2('list_tasks');
      expect(list.structured.tasks.map((t: { title: string }) => t.title)).toEqual(['Mine']);
      expect((await call2('search_tasks', { query: 'lawn' })).structured.tasks).toEqual([]);
      expect((await call2('list_tags')).structured.tags).toEqual([]);
      expect((await call2('list_categories')).structured.categories).toEqual([]);
      expect((await call2('get_upcoming_tasks', { within_hours: 100 })).structured.total).toBe(0);
      for (const [tool, args] of [
        ['get_task', { task_id: ids.task }],
        ['update_task', { task_id: ids.task, title: 'Stolen' }],
        ['complete_task', { task_id: ids.task }],
        ['delete_task', { task_id: ids.task }],
        ['set_reminder', { task_id: ids.task, remind_before_minutes: 5 }],
        ['update_tag', { tag_id: ids.tag2, name: 'Stolen' }],
        ['delete_tag', { tag_id: ids.tag2 }],
        ['add_tag_to_task', { task_id: own.structured.id, tag_id: ids.tag2 }],
      ] as const) {
        const result = await call2(tool, args);
        expect([tool, result.isError, result.text]).toEqual([
          tool,
          true,
          expect.stringMatching(/does not exist for you/),
        ]);
      }
      expect(await snapshot(user)).toEqual(before);
    } finally {
      await theirs.close();
    }
  });
});
