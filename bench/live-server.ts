import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { startNotificationService } from '../consumers/notification/index.ts';
import { KafkaTransport } from '../messaging/kafka-transport.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createKnex } from '../db/knex.ts';
import { startLiveFeed } from '../server/live/live-feed.ts';
import { OutboxRelay } from '../outbox/relay.ts';

/**
 * The server side of the live benchmarks, in a process of its own so that the benchmark's
 * thousands of clients do not share its CPU: the API with its live feed, the outbox relay and the
 * notification service. Reads BENCH_DATABASE_URL, KAFKA_BROKERS and BENCH_SECRET; prints
 * `listening <url>` when ready; answers any IPC message with its memory usage; stops on SIGTERM.
 */
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const logger = pino({ level: 'warn' });
const databaseUrl = env('BENCH_DATABASE_URL');
const knex = createKnex(databaseUrl, { poolMax: 10 });
const transport = new KafkaTransport(
  { brokers: env('KAFKA_BROKERS').split(','), clientId: 'bench-live', ssl: false, sasl: undefined },
  logger,
);
await transport.ensureTopics(loadConfig({}).topics);
const app = await buildApp({
  knex,
  logger,
  jwtSecret: env('BENCH_SECRET'),
  port: 0,
  host: '127.0.0.1',
  graphiql: false,
}).start();
const relay = new OutboxRelay({ knex, transport, logger, listenUrl: databaseUrl });
await relay.start();
const run = randomUUID().slice(0, 8);
const feed = await startLiveFeed({
  transport,
  hub: app.live,
  logger,
  groupId: `bench-live-${run}`,
});
const notification = await startNotificationService({
  knex,
  transport,
  logger,
  group: `bench-notification-${run}`,
});
process.stdout.write(`listening ${app.url}/graphql\n`);
// The benchmark asks for the process's memory after a full GC (it starts it with --expose-gc).
process.on('message', () => {
  globalThis.gc?.();
  process.send?.(process.memoryUsage());
});

process.once('SIGTERM', () => {
  void (async () => {
    await app.stop();
    await Promise.all([feed.stop(), notification.stop()]);
    await relay.stop();
    await transport.close();
    await knex.destroy();
    process.exit(0);
  })();
});
