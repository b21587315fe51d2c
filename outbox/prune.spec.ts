import { randomUUID } from 'node:crypto';
import { useTestApi } from '../test/api.ts';
import { pruneSentEvents } from './prune.ts';

const api = useTestApi({ ownDatabase: true });

it('prunes the rows of acknowledged batches older than the retention period and keeps the rest', async () => {
  const hour = 3_600_000;
  const batch = async (claimedAt: Date, acked: boolean) => {
    const [row] = await api
      .knex('outbox_batches')
      .insert({ claimed_at: claimedAt, acked_at: acked ? claimedAt : null })
      .returning('batch');
    return row!.batch as number;
  };
  const row = (relayBatch: number | null) => ({
    event_id: randomUUID(),
    topic: 'task-events',
    message_key: randomUUID(),
    event_type: 'task.created',
    user_id: 'prune-user',
    payload: '{}',
    relay_batch: relayBatch,
  });
  const old = await batch(new Date(Date.now() - 3 * hour), true);
  const oldUnacked = await batch(new Date(Date.now() - 3 * hour), false);
  const recent = await batch(new Date(Date.now() - hour / 2), true);
  const ids = await api
    .knex('outbox')
    .insert([row(old), row(old), row(oldUnacked), row(recent), row(null)])
    .returning('id');
  const kept = ids.slice(2).map((r) => r.id);

  expect(await pruneSentEvents(api.knex, 2 * hour)).toBe(2);
  expect(await api.knex('outbox').orderBy('id').pluck('id')).toEqual(kept);
  expect(await api.knex('outbox_batches').orderBy('batch').pluck('batch')).toEqual([
    oldUnacked,
    recent,
  ]);
});
