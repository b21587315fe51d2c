import { runConsumer } from '../../consumers/runtime/run-consumer.ts';
import { createKnex } from '../../db/knex.ts';
import { createLogger } from '../../lib/logger.ts';
import { createTransport } from '../../messaging/create-transport.ts';
import type { ConsumeOptions, EventTransport, IncomingMessage } from '../../messaging/transport.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { loadConfig } from '../../server/config.ts';
import type { ConsumerReport } from './consumer.ts';

/**
 * The benchmark's consumer, a process of its own as a deployed consumer is: a consumer group
 * (`BENCH_GROUP`) on task-events run by the product's runConsumer (inbox, one transaction per
 * batch), whose handler only notes each event once its transaction committed. Every message
 * Kafka delivers is noted too, before the handler sees it, so the parent can tell copies in
 * the log and redeliveries from exactly-once handling. Reads DATABASE_URL and KAFKA_BROKERS like
 * a role; reports to the parent over IPC every 100 ms; stops on SIGTERM or when the parent goes.
 */
const config = loadConfig();
const logger = createLogger(config, 'bench-consumer');
const knex = createKnex(config.databaseUrl!, {
  poolMax: config.databasePoolMax,
  preparedStatements: config.databasePreparedStatements,
});
const transport = createTransport(config.kafka, logger);
let report: ConsumerReport = { delivered: [], handled: [] };

const noteDeliveries = (messages: IncomingMessage[]) => {
  const at = Date.now();
  for (const m of messages)
    report.delivered.push([m.headers['event-id'] ?? '', m.partition, m.offset, m.timestamp, at]);
};
/** The product's transport, noting every message delivered to the consumer. */
const observed: EventTransport = {
  kind: transport.kind,
  ensureTopics: (topics) => transport.ensureTopics(topics),
  publish: (messages) => transport.publish(messages),
  healthCheck: () => transport.healthCheck(),
  close: () => transport.close(),
  consume: (options: ConsumeOptions) =>
    transport.consume({
      ...options,
      handle: options.handle && ((m) => (noteDeliveries([m]), options.handle!(m))),
      handleBatch: options.handleBatch && ((ms) => (noteDeliveries(ms), options.handleBatch!(ms))),
    }),
};

const consumer = await runConsumer({
  transport: observed,
  knex,
  logger,
  fromBeginning: false,
  spec: {
    group: process.env.BENCH_GROUP ?? 'bench-pipeline',
    topics: [TOPICS.taskEvents.name],
    types: ['task.created'],
    handle: async (event, { afterCommit }) =>
      afterCommit(() => report.handled.push([event.id, event.taskId, Date.now()])),
  },
});

const flush = () => {
  if (report.delivered.length + report.handled.length === 0 || !process.connected) return;
  process.send!(report);
  report = { delivered: [], handled: [] };
};
const flushing = setInterval(flush, 100);
process.send!({ ready: true });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await consumer.stop();
  clearInterval(flushing);
  flush();
  await transport.close();
  await knex.destroy();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
