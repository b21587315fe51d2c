import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateLatest } from '../db/migrate.ts';
import { KafkaAccessError } from '../messaging/kafka-access-error.ts';
import { PostgresVersionError } from '../db/postgres-version.ts';
import { createLogger } from '../lib/logger.ts';
import { MetricsPortError, startMetricsServer } from './ops/metrics-server.ts';
import { roleOf, UnknownRoleError, type Role } from './roles/roles.ts';
import { RoleConfigError, startRole } from './roles/start-role.ts';

/**
 * The one entry point: `node server/main.ts [role]` (or `ROLE=<role>`), `all` by default. See
 * server/roles/roles.ts for the roles. Every role but `migrate` serves its metrics on
 * `METRICS_PORT`. SIGTERM or SIGINT stops the role within 10 s, exit 0.
 */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** Refusals to start that say what to fix: printed as their message alone, exit 1. */
const REFUSALS = [
  ConfigError,
  UnknownRoleError,
  RoleConfigError,
  PostgresVersionError,
  KafkaAccessError,
  MetricsPortError,
];

/** Exits 1 with the message of a refusal to start; rethrows anything else. */
const fail = (error: unknown): never => {
  if (!REFUSALS.some((refusal) => error instanceof refusal)) throw error;
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
};

let config;
let role: Role;
try {
  config = loadConfig();
  role = roleOf(process.argv[2], process.env.ROLE);
} catch (error) {
  fail(error);
}
const logger = createLogger(config!, role! === 'all' ? 'todo-events' : role!).child({
  role: role!,
});
logger.info({ node: process.version }, 'starting');

if (role! === 'migrate') {
  const database = await openDatabase(config!).catch(fail);
  try {
    const applied = await database.withSession(migrateLatest);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'no pending migrations');
  } finally {
    await database.close();
  }
  process.exit(0);
}

let metrics;
let running;
try {
  metrics = await startMetricsServer({ port: config!.metricsPort, host: config!.host });
  running = await startRole(role!, config!, logger);
} catch (error) {
  fail(error);
}
// Kafka, away at start, may refuse this client once it answers: as a refusal at start would.
running!.failed.catch(fail);
logger.info({ metrics: metrics!.url, url: running!.url }, 'started');
if (role! === 'all' || role! === 'api') {
  process.stdout.write(`\nGraphQL API: ${running!.url}/graphql\n`);
}
// Printed here only, never served: the dashboard and GraphiQL ask for it.
if (running!.devToken) {
  process.stdout.write(
    `Development token (user "dev-user"; paste it into the dashboard or GraphiQL):\n${running!.devToken}\n\n`,
  );
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing the work in hand');
  setTimeout(() => {
    logger.error('did not stop within 10 s; exiting');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  await running!.stop();
  await metrics!.stop();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
