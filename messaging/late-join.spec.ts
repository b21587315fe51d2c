import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { requireTestEnv } from '../test/env.ts';
import { eventually } from '../test/kafka.ts';
import { startTcpProxy, type TcpProxy } from '../test/tcp-proxy.ts';
import { KafkaTransport } from './kafka-transport.ts';
import type { Consumer } from './transport.ts';

const brokers = requireTestEnv('KAFKA_BROKERS');
const transportTo = (bootstrap: string) =>
  new KafkaTransport(
    {
      brokers: [bootstrap],
      clientId: `late-join-${randomUUID().slice(0, 8)}`,
      ssl: false,
      sasl: undefined,
    },
    pino({ level: 'silent' }),
  );

let proxy: TcpProxy;
const opened: KafkaTransport[] = [];
let member: Consumer | undefined;

afterEach(async () => {
  await member?.stop();
  await Promise.all(opened.map((transport) => transport.close()));
  await proxy?.close();
});

// The chaos test found it: an API started while Kafka was away reached the broker after the relay
// had published the backlog, and its live feed started at the newest offset then, so the
// reminders of that backlog never reached the subscribers it already had.
it('a member that keeps no position, made while the broker is unreachable, gets what was published after it was made', async () => {
  const [host, port] = brokers.split(',')[0]!.split(':');
  proxy = await startTcpProxy({ host: host!, port: Number(port) });
  const direct = transportTo(brokers.split(',')[0]!);
  const late = transportTo(`127.0.0.1:${proxy.port}`);
  opened.push(direct, late);
  const topic = `late-join-${randomUUID()}`;
  await direct.ensureTopics([
    { name: topic, partitions: 2, retentionMs: 3_600_000, replicationFactor: -1 },
  ]);
  await direct.publish([{ topic, key: 'before', value: 'before' }]);

  await proxy.cut();
  const received: string[] = [];
  member = await late.consume({
    groupId: `late-${randomUUID()}`,
    topics: [topic],
    fromBeginning: false,
    commitOffsets: false,
    handle: async (message) => void received.push(message.value!),
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await direct.publish([
    { topic, key: 'a', value: 'while-away-1' },
    { topic, key: 'b', value: 'while-away-2' },
  ]);
  await proxy.restore();
  await eventually(() => received.length >= 2, 'the messages published while it was away', 45_000);
  await direct.publish([{ topic, key: 'a', value: 'after' }]);
  await eventually(() => received.includes('after'), 'the message after it joined', 30_000);
  expect(received.sort()).toEqual(['after', 'while-away-1', 'while-away-2']);
}, 90_000);
