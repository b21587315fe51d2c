import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { runConsumer } from '../consumers/runtime/run-consumer.ts';
import { InProcessTransport } from '../messaging/in-process-transport.ts';
import { loadConfig } from '../server/config.ts';
import { testKnex } from '../test/env.ts';
import { inboxRetentionFor, PROCESSED_RETENTION_MS } from './prune.ts';

const DAY = 24 * 3_600_000;
let knex: Knex;
beforeAll(() => {
  knex = testKnex();
});
afterAll(() => knex.destroy());

const retentionWith = (env: Record<string, string>) =>
  inboxRetentionFor(loadConfig(env).topics.map((topic) => topic.retentionMs));

describe('processed event ids after an offset reset', () => {
  it('are kept a day longer than the longest topic retention, never less than 14 days', () => {
    expect(retentionWith({})).toBe(Math.max(PROCESSED_RETENTION_MS, 15 * DAY));
    expect(retentionWith({ KAFKA_RETENTION_TASK_EVENTS_HOURS: String(365 * 24) })).toBe(366 * DAY);
    expect(inboxRetentionFor([DAY])).toBe(PROCESSED_RETENTION_MS);
  });

  it('survive pruning for as long as a year-long topic could deliver their events again', async () => {
    const group = `reset-${randomUUID()}`;
    const old = { consumer_group: group, event_id: randomUUID() };
    await knex('processed_events').insert({
      ...old,
      processed_at: new Date(Date.now() - 100 * DAY),
    });
    const consumer = await runConsumer({
      transport: new InProcessTransport(),
      knex,
      logger: pino({ level: 'silent' }),
      spec: { group, topics: ['reset-topic'], types: ['task.completed'], handle: async () => {} },
      processedRetentionMs: retentionWith({ KAFKA_RETENTION_TASK_EVENTS_HOURS: String(365 * 24) }),
    });
    try {
      // The consumer prunes once when it starts.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await knex('processed_events').where(old)).toHaveLength(1);
    } finally {
      await consumer.stop();
    }
  });

  it('are pruned after the fixed default when nothing says the topics keep more', async () => {
    const group = `reset-${randomUUID()}`;
    const old = { consumer_group: group, event_id: randomUUID() };
    await knex('processed_events').insert({
      ...old,
      processed_at: new Date(Date.now() - 100 * DAY),
    });
    const consumer = await runConsumer({
      transport: new InProcessTransport(),
      knex,
      logger: pino({ level: 'silent' }),
      spec: { group, topics: ['reset-topic'], types: ['task.completed'], handle: async () => {} },
      processedRetentionMs: retentionWith({}),
    });
    try {
      const deadline = Date.now() + 5_000;
      while ((await knex('processed_events').where(old)).length > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await knex('processed_events').where(old)).toHaveLength(0);
    } finally {
      await consumer.stop();
    }
  });
});
