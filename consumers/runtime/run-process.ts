import { createTransport } from '../../messaging/create-transport.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { createLogger } from '../../server/logger.js';
import { runConsumer, type ConsumerSpec } from './run-consumer.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Runs one consumer group as its own process against `DATABASE_URL` and `KAFKA_BROKERS`. On
 * SIGTERM or SIGINT it finishes the batch in hand, commits, leaves the group and exits 0.
 */
export async function runConsumerProcess(spec: ConsumerSpec): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (!config.databaseUrl || !config.kafka) {
    process.stderr.write(
      `The ${spec.group} service as its own process needs DATABASE_URL and KAFKA_BROKERS. ` +
        'Without them, run `npm start`: it runs every service in one process.\n',
    );
    process.exit(1);
  }
  const logger = createLogger(config, spec.group);
  const database = await openDatabase(config);
  const transport = createTransport(config, logger);
  await transport.ensureTopics(config.topics);
  const consumer = await runConsumer({ transport, knex: database.knex, logger, spec });
  logger.info({ group: spec.group }, 'consuming');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the batch in hand');
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    await consumer.stop();
    await transport.close();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
