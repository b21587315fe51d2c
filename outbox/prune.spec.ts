import { randomUUID } from 'node:crypto';
import { useTestApi } from '../test/api.ts';
import { pruneSentEvents } from './prune.ts';

const api = useTestApi({ ownDatabase: true });

it('prunes sent rows older than the retention period and keeps the rest', async () => {
  const row = (sentAt: Date | null) => ({
    event_id: randomUUID(),
    topic: 'task-events',
    message_key: randomUUID(),
    event_type: 'task.created',
    user_id: 'prune-user',
    payload: '{}',
    sent_at: sentAt,
  });
  const hour = 3_600_000;
  const [old, recent, unsent] = await api
    .knex('outbox')
    .insert([row(new Date(Date.now() - 3 * hour)), row(new Date(Date.now() - hour / 2)), row(null)])
    .returning('id');
  expect(await pruneSentEvents(api.knex, 2 * hour)).toBe(1);
  expect((await api.knex('outbox').orderBy('id').pluck('id')).sort()).toEqual(
    [recent!.id, unsent!.id].sort(),
  );
  expect(old).toBeDefined();
});
