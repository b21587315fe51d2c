import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { requireTestEnv, testKnex } from '../../test/env.ts';
import { createdEvents } from '../../test/events.ts';
import { eventually, testKafka } from '../../test/kafka.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let knex: Knex;
const children: ChildProcess[] = [];

beforeAll(async () => {
  knex = testKnex();
  await knex.raw(
    'CREATE TABLE IF NOT EXISTS consumer_test_applied (event_id uuid NOT NULL, consumer_group text NOT NULL)',
  );
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await knex.destroy();
});

function startConsumer(topic: string, group: string): ChildProcess {
  const child = spawn(process.execPath, ['test/fixtures/recording-consumer.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEST_DATABASE_URL: requireTestEnv('TEST_DATABASE_URL'),
      KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
      TEST_TOPIC: topic,
      TEST_GROUP: group,
    },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

it('applies each event exactly once when its consumer is killed mid-batch and restarted', async () => {
  const topic = `crash-${randomUUID()}`;
  const group = `crash-${randomUUID()}`;
  const transport = testKafka();
  await transport.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
  await transport.publish(createdEvents(topic, 'crash-user', 300));
  await transport.close();

  const applied = async () =>
    Number(
      (await knex('consumer_test_applied')
        .where({ consumer_group: group })
        .count({ n: '*' })
        .first())!.n,
    );
  const distinct = async () =>
    Number(
      (await knex('consumer_test_applied')
        .where({ consumer_group: group })
        .countDistinct({ n: 'event_id' })
        .first())!.n,
    );

  const first = startConsumer(topic, group);
  await eventually(
    async () => (await applied()) >= 60,
    'the first consumer to apply some events',
    60_000,
  );
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const beforeRestart = await applied();
  expect(beforeRestart).toBeLessThan(300);

  startConsumer(topic, group);
  await eventually(
    async () => (await distinct()) === 300,
    'all 300 events after the restart',
    90_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await applied()).toBe(300);
  const processed = await knex('processed_events')
    .where({ consumer_group: group })
    .count({ n: '*' })
    .first();
  expect(Number(processed!.n)).toBe(300);
}, 180_000);
