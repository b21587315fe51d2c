import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { testKnex } from '../test/env.ts';
import { pruneProcessedEvents } from './prune.ts';

let knex: Knex;
beforeAll(() => {
  knex = testKnex();
});
afterAll(() => knex.destroy());

it("forgets only the group's processed event ids older than the retention", async () => {
  const group = `prune-${randomUUID()}`;
  const other = `prune-${randomUUID()}`;
  const day = 24 * 3_600_000;
  const row = (consumerGroup: string, ageMs: number) => ({
    consumer_group: consumerGroup,
    event_id: randomUUID(),
    processed_at: new Date(Date.now() - ageMs),
  });
  const recent = row(group, day);
  await knex('processed_events').insert([row(group, 20 * day), recent, row(other, 20 * day)]);

  expect(await pruneProcessedEvents(knex, group, 14 * day)).toBe(1);
  expect(await knex('processed_events').where({ consumer_group: group }).pluck('event_id')).toEqual(
    [recent.event_id],
  );
  expect(await knex('processed_events').where({ consumer_group: other })).toHaveLength(1);
});
