import { pino } from 'pino';
import { createTask, useTestApi } from '../test/api.ts';
import { eventually, testKafka, testTopics } from '../test/kafka.ts';
import { OutboxRelay } from './relay.ts';

const api = useTestApi({ ownDatabase: true });

it('publishes a new row at once on the outbox NOTIFY, long before its next poll', async () => {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const relay = new OutboxRelay({
    knex: api.knex,
    transport,
    logger: pino({ level: 'silent' }),
    listenUrl: api.databaseUrl,
    pollIntervalMs: 120_000,
  });
  const user = await api.user();
  const unsent = async () =>
    Number(
      (await api
        .knex('outbox')
        .where({ user_id: user.userId })
        .whereNull('sent_at')
        .count({ n: '*' })
        .first())!.n,
    );
  try {
    await relay.start();
    await eventually(
      async () => (await api.knex('outbox').whereNull('sent_at').count({ n: '*' }).first())!.n == 0,
      'the earlier backlog',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await createTask(user, { title: 'wake up' });
    await eventually(
      async () => (await unsent()) === 0,
      'the relay to publish the new row',
      10_000,
    );
  } finally {
    await relay.stop();
    await transport.close();
  }
}, 60_000);
