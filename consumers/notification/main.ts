import { createTransport } from '../../messaging/create-transport.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { createLogger } from '../../server/logger.js';
import { NOTIFICATION_GROUP, startNotificationService } from './index.js';

// Mirrors consumers/runtime/run-process.ts, which hosts a consumer but not the scheduler.
const SHUTDOWN_DEADLINE_MS = 10_000;

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
    `The ${NOTIFICATION_GROUP} service as its own process needs DATABASE_URL and KAFKA_BROKERS. ` +
      'Without them, run `npm start`: it runs every service in one process.\n',
  );
  process.exit(1);
}
const logger = createLogger(config, NOTIFICATION_GROUP);
const database = await openDatabase(config);
const transport = createTransport(config, logger);
await transport.ensureTopics(config.topics);
const service = await startNotificationService({ knex: database.knex, transport, logger });
logger.info({ group: NOTIFICATION_GROUP }, 'consuming');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing the claim and the batch in hand');
  setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
  await service.stop();
  await transport.close();
  await database.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
