import { pino } from 'pino';
import { createKnex } from '../db/knex.ts';
import { TOPICS } from '../model/events/topics.ts';
import { createTask, useTestApi } from '../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../test/kafka.ts';
import { startTcpProxy } from '../test/tcp-proxy.ts';
import { OutboxRelay } from './relay.ts';
import { unsentRows } from './unsent.ts';

const api = useTestApi({ ownDatabase: true });
const logger = pino({ level: 'silent' });

/*
 * A PostgreSQL crash or a cut connection can end a claim after its commit and before its answer
 * reaches the relay. The relay keeps its turn (the lease is its own), so nothing makes it read the
 * unacknowledged batches again unless it does so after such a failure: the claimed rows would
 * never be published.
 */
it('publishes a batch whose claim committed though the answer never came back', async () => {
  const direct = new URL(api.databaseUrl);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(api.databaseUrl);
  proxied.host = `127.0.0.1:${proxy.port}`;
  const knex = createKnex(proxied.toString(), { poolMax: 1 });
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const raw = await collect(transport, [TOPICS.taskEvents.name]);
  // A long lease: the relay asks nothing about its turn between the claims below.
  const relay = new OutboxRelay({ knex, transport, logger, turnTtlMs: 60_000 });
  try {
    await relay.relayBatch();
    const user = await api.user();
    const task = await createTask(user, { title: 'its claim answer is lost' });
    const unsent = () => unsentRows(api.knex).where('unsent.user_id', user.userId);
    const claimed = async () =>
      (await api.knex('outbox').where({ user_id: user.userId }).whereNotNull('relay_batch')).length;

    proxy.holdReplies();
    const lost = relay.relayBatch();
    await eventually(async () => (await claimed()) === 1, 'the claim committed');
    await proxy.cut();
    await expect(lost).rejects.toThrow();
    await proxy.restore();
    expect(await unsent()).toHaveLength(1);

    await eventually(
      async () => {
        await relay.relayBatch();
        return (await unsent()).length === 0;
      },
      'the claimed row published and acknowledged',
      15_000,
    );
    await eventually(
      () => raw.messages.some((message) => message.key === task.id),
      'the event on Kafka',
    );
  } finally {
    await raw.stop();
    await relay.stop();
    await knex.destroy();
    await transport.close();
    await proxy.close();
  }
}, 60_000);
