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

  /** Starts a consumer with `retentionMs` over a processed id 100 days old; whether it is kept. */
  async function keptAfterStart(retentionMs: number, waitForPrune: boolean): Promise<boolean> {
    const group = `reset-${randomUUID()}`;
    const old = { consumer_group: group, event_id: randomUUID() };
    await knex('processed_events').insert({
      ...old,
      processed_at: new Date(Date.now() - 100 * DAY),
    });
    const kept = async () => (await knex('processed_events').where(old)).length === 1;
    const consumer = await runConsumer({
      transport: new InProcessTransport(),
      knex,
      logger: pino({ level: 'silent' }),
      spec: { group, topics: ['reset-topic'], types: ['task.completed'], handle: async () => {} },
      processedRetentionMs: retentionMs,
    });
    try {
      // The consumer prunes once when it starts.
      const deadline = Date.now() + (waitForPrune ? 5_000 : 500);
      while (Date.now() < deadline && (!waitForPrune || (await kept())))
        await new Promise((resolve) => setTimeout(resolve, 50));
      return await kept();
    } finally {
      await consumer.stop();
    }
  }

  it('survive pruning for as long as a year-long topic could deliver their events again', async () => {
    const yearLong = retentionWith({ KAFKA_RETENTION_TASK_EVENTS_HOURS: String(365 * 24) });
    expect(await keptAfterStart(yearLong, false)).toBe(true);
  });

  it('are pruned after the fixed default when nothing says the topics keep more', async () => {
    expect(await keptAfterStart(retentionWith({}), true)).toBe(false);
  });
});
