import { randomUUID } from 'node:crypto';
import { createTask, inHours, useTestApi, type TestUser } from '../test/api.ts';
import { callTool, connect, type TestClient, type TransportKind } from '../test/mcp.ts';

const api = useTestApi();

describe.each<TransportKind>(['http', 'stdio'])('snooze_reminder over %s', (kind) => {
  let user: TestUser;
  let mcp: TestClient;
  const call = (args: Record<string, unknown>) => callTool(mcp.client, 'snooze_reminder', args);

  beforeAll(async () => {
    user = await api.user(kind);
    mcp = await connect(kind, api, user.token);
  });
  afterAll(() => mcp.close());

  it('snoozes by minutes or until a time, re-arming a sent reminder', async () => {
    const task = await createTask(user, { title: 'Water the plants', dueAt: inHours(24) });
    await api.knex('tasks').where({ id: task.id }).update({ reminder_sent_at: new Date() });
    const before = Date.now();
    const byMinutes = await call({ task_id: task.id, minutes: 30 });
    expect(byMinutes.isError).toBe(false);
    expect(byMinutes.text).toMatch(/^Reminder snoozed:/);
    expect(byMinutes.structured.id).toBe(task.id);
    const remindAt = Date.parse(byMinutes.structured.remind_at);
    expect(remindAt).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(remindAt).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    const row = await api.knex('tasks').where({ id: task.id }).first();
    expect(row.reminder_sent_at).toBeNull();

    const until = inHours(3);
    const byTime = await call({ task_id: task.id, until });
    expect(byTime.isError).toBe(false);
    expect(Date.parse(byTime.structured.remind_at)).toBe(Date.parse(until));
  });

  it('tells the agent what to fix, and changes nothing', async () => {
    const task = await createTask(user, { title: 'Renew passport', dueAt: inHours(24) });
    const neither = await call({ task_id: task.id });
    expect(neither).toMatchObject({ isError: true });
    expect(neither.text).toMatch(/Invalid minutes: .*exactly one of minutes .* or until/);
    expect(neither.text).toMatch(/call snooze_reminder again\. Nothing was changed\.$/);
    const tooFar = await call({ task_id: task.id, minutes: 8 * 24 * 60 });
    expect(tooFar.isError).toBe(true);
    expect(tooFar.text).toMatch(/Invalid minutes: .*at most/);
    const row = await api.knex('tasks').where({ id: task.id }).first();
    expect(row.version).toBe(task.version);
  });

  it("refuses another user's task as one that does not exist", async () => {
    const other = await api.user(`${kind}-other`);
    const theirs = await createTask(other, { title: 'Not yours', dueAt: inHours(24) });
    for (const id of [theirs.id, randomUUID()]) {
      const result = await call({ task_id: id, minutes: 5 });
      expect(result).toMatchObject({ isError: true });
      expect(result.text).toMatch(/does not exist for you/);
    }
    const row = await api.knex('tasks').where({ id: theirs.id }).first();
    expect(row.version).toBe(theirs.version);
  });
});
