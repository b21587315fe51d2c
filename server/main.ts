import { ConfigError, loadConfig } from './config.js';
import { developmentSecret } from './auth/dev-secret.js';
import { signToken } from './auth/jwt.js';
import { openDatabase } from './db/database.js';
import { migrateLatest } from './db/migrate.js';
import { createLogger } from './logger.js';
import { buildApp } from './app.js';
import { OutboxRelay } from './outbox/relay.js';
import { startLiveFeed } from './live/live-feed.js';
import { startNotificationService } from '../consumers/notification/index.js';
import { recurrenceConsumer } from '../consumers/recurrence/index.js';
import { runConsumer } from '../consumers/runtime/run-consumer.js';
import { createTransport } from '../messaging/create-transport.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config);
const database = await openDatabase(config);
const applied = await migrateLatest(database.knex);
if (applied.length) logger.info({ applied }, 'migrations applied');

const transport = createTransport(config, logger);
await transport.ensureTopics(config.topics);

const jwtSecret = config.jwtSecret ?? (await developmentSecret(config.dataDir));
const devToken = config.jwtSecret ? undefined : await signToken(jwtSecret, 'dev-user');
const app = await buildApp({
  knex: database.knex,
  logger,
  jwtSecret,
  port: config.port,
  host: config.host,
  graphiql: config.nodeEnv !== 'production',
  graphiqlToken: devToken,
  readinessChecks: [() => transport.healthCheck()],
}).start();

const relay = new OutboxRelay({
  knex: database.knex,
  transport,
  logger: logger.child({ component: 'relay' }),
  // PGlite does not carry NOTIFY across connections, so the embedded relay polls often instead.
  listenUrl: database.embedded ? undefined : database.url,
  pollIntervalMs: database.embedded ? 100 : 1_000,
});
await relay.start();
const consumers = [
  await startLiveFeed({ transport, hub: app.live, logger }),
  await runConsumer({ transport, knex: database.knex, logger, spec: recurrenceConsumer }),
  await startNotificationService({ knex: database.knex, transport, logger }),
];

logger.info(
  { url: `${app.url}/graphql`, embeddedDatabase: database.embedded, transport: transport.kind },
  'ready',
);
process.stdout.write(`\nGraphQL API: ${app.url}/graphql\n`);
if (devToken) process.stdout.write(`Development token (user "dev-user"):\n${devToken}\n\n`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const deadline = setTimeout(() => process.exit(1), 10_000).unref();
  await app.stop();
  await Promise.all(consumers.map((consumer) => consumer.stop()));
  await relay.stop();
  await transport.close();
  await database.close();
  clearTimeout(deadline);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
