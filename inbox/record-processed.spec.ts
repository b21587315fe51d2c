import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { testKnex } from '../test/env.ts';
import { recordProcessed, recordProcessedEvents } from './record-processed.ts';

let knex: Knex;

beforeAll(() => {
  knex = testKnex();
});
afterAll(async () => {
  await knex.destroy();
});

it('records many ids in one statement and returns only those the group had not processed', async () => {
  const group = `record-${randomUUID()}`;
  const [seen, fresh, twice] = [randomUUID(), randomUUID(), randomUUID()];
  expect(await recordProcessed(knex, group, seen)).toBe(true);
  expect(await recordProcessed(knex, group, seen)).toBe(false);

  const statements: string[] = [];
  const count = ({ sql }: { sql: string }) => void statements.push(sql);
  knex.on('query', count);
  const upper = fresh.toUpperCase();
  const recorded = await recordProcessedEvents(knex, group, [seen, upper, twice, twice]);
  knex.off('query', count);

  expect(statements).toHaveLength(1);
  expect([...recorded].sort()).toEqual([upper, twice].sort());
  const stored = await knex('processed_events').where({ consumer_group: group }).pluck('event_id');
  expect(stored.sort()).toEqual([seen, fresh, twice].sort());
  expect(await recordProcessedEvents(knex, group, [])).toEqual(new Set());
});
