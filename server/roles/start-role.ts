import { NamedError } from '../../model/errors.ts';
import { startNotificationService } from '../../consumers/notification/index.ts';
import { startDeliveryService } from '../../consumers/delivery/index.ts';
import { recurrenceConsumer } from '../../consumers/recurrence/index.ts';
import { runConsumer } from '../../consumers/runtime/run-consumer.ts';
import { createTransport } from '../../messaging/create-transport.ts';
import { buildApp } from '../app.ts';
import { developmentSecret } from '../auth/dev-secret.ts';
import { developmentVapidKeys } from '../vapid-keys.ts';
import { createMailer } from '../../lib/smtp-mailer.ts';
import { signToken } from '../auth/jwt.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { TaskCountFolder } from '../../db/task-count-folder.ts';
import { startLiveFeed } from '../live/live-feed.ts';
import type { Logger } from '../../lib/logger.ts';
import { startOpsServer } from '../ops/ops-server.ts';
import { dependencyChecks } from '../ops/readiness.ts';
import { watchOutboxBacklog } from '../../outbox/backlog.ts';
import { inboxRetentionFor } from '../../inbox/prune.ts';
import { notifyRelaysAfterCommit } from '../../outbox/notify-relays.ts';
import { OutboxRelay } from '../../outbox/relay.ts';
import type { Role } from './roles.ts';
import { setUpTopics } from './topic-setup.ts';

/** A started role: where it answers HTTP, and how it stops. */
export interface RunningRole {
  /** The API's URL, or the ops server's (`/health`, `/ready`). */
  url: string;
  /** Printed for a newcomer in the embedded default: a token for user "dev-user". */
  devToken?: string;
  /** Stops taking work, finishes what is in hand, commits, and closes every connection. */
  stop(): Promise<void>;
  /**
   * Rejects when the role cannot go on: Kafka, unreachable at start, refused this client once it
   * answered (a KafkaAccessError). Never resolves.
   */
  failed: Promise<never>;
}

/** Thrown when a role cannot run with the given configuration. */
export class RoleConfigError extends NamedError {}

/**
 * Starts `role` (anything but `migrate`). `all` runs every part in one process, on the embedded
 * database and the in-process transport when nothing is configured; the other roles are the
 * separate services of a deployment and need `DATABASE_URL` and `KAFKA_BROKERS`.
 */
export async function startRole(role: Role, config: Config, logger: Logger): Promise<RunningRole> {
  if (role !== 'all' && (!config.databaseUrl || !config.kafka)) {
    throw new RoleConfigError(
      `The ${role} role as its own process needs DATABASE_URL and KAFKA_BROKERS. ` +
        'Without them, run `npm start`: it runs every service in one process.',
    );
  }
  // The API's statements are each one user's, whose generic plans serve every user; the
  // services' scan due work across users, and keep PostgreSQL's choice.
  const database = await openDatabase({ ...config, genericPlans: role === 'api' });
  // Stopped in reverse order of starting: intake first, connections last. A part that fails to
  // stop is logged and the others still stop.
  const parts: Array<() => Promise<void>> = [() => database.close()];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const part of [...parts].reverse()) {
        await part().catch((error: unknown) =>
          logger.error({ err: error }, 'a part failed to stop'),
        );
      }
    })());
  try {
    if (role === 'all') {
      const applied = await database.withSession(migrateLatest);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    const transport = createTransport(config.kafka, logger);
    parts.push(() => transport.close());
    // With Kafka away the role starts anyway: its consumers join, and its topics are created,
    // once Kafka answers; `/ready` says why it is not ready meanwhile.
    const topics = await setUpTopics(transport, config.topics, logger);
    parts.push(async () => topics.stop());
    const checks = [...dependencyChecks(database.knex, transport), topics.check];
    const runs = (part: Role) => role === 'all' || role === part;
    const processedRetentionMs = inboxRetentionFor(config.topics.map((t) => t.retentionMs));
    // Writers wake relays in other processes after they commit; the embedded database is one
    // process, whose relay writers wake directly.
    if (role !== 'relay' && !database.embedded) {
      const stopNotifying = notifyRelaysAfterCommit(database.knex, logger);
      parts.push(async () => void stopNotifying());
    }

    if (runs('relay')) {
      const relay = new OutboxRelay({
        knex: database.knex,
        transport,
        logger: logger.child({ component: 'relay' }),
        // PGlite does not carry NOTIFY across connections, so the embedded relay polls often.
        listenUrl: database.sessionUrl,
        pollIntervalMs: database.embedded ? 100 : 1_000,
      });
      await relay.start();
      const unwatch = watchOutboxBacklog(database.knex, logger);
      parts.push(async () => {
        unwatch();
        await relay.stop();
      });
    }
    if (runs('recurrence')) {
      const consumer = await runConsumer({
        transport,
        knex: database.knex,
        logger,
        spec: recurrenceConsumer,
        processedRetentionMs,
        batchWaitMs: config.consumerBatchWaitMs,
      });
      parts.push(() => consumer.stop());
    }
    if (runs('notification')) {
      const service = await startNotificationService({
        knex: database.knex,
        transport,
        logger,
        processedRetentionMs,
        batchWaitMs: config.consumerBatchWaitMs,
      });
      parts.push(() => service.stop());
    }
    // Email confirmation codes (API) and reminders (delivery) go out through one pooled mailer.
    const mailer =
      config.delivery.smtp && (runs('delivery') || runs('api'))
        ? createMailer(config.delivery.smtp)
        : undefined;
    if (mailer) parts.push(() => mailer.close());
    // Without configured keys, outside production, a pair kept in the data folder.
    const vapid =
      config.delivery.vapid ??
      (config.nodeEnv !== 'production' && (runs('delivery') || runs('api'))
        ? await developmentVapidKeys(config.dataDir)
        : undefined);
    const delivery = { ...config.delivery, vapid };
    if (runs('delivery')) {
      const service = await startDeliveryService({
        knex: database.knex,
        transport,
        logger,
        options: delivery,
        mailer,
        processedRetentionMs,
        batchWaitMs: config.consumerBatchWaitMs,
      });
      parts.push(() => service.stop());
    }

    let url: string;
    let devToken: string | undefined;
    if (runs('api')) {
      // Neither a secret nor an identity provider (development only: production refuses to
      // start): a secret kept in the data folder, and a token signed with it for the newcomer.
      let auth = config.auth;
      if (!auth.secret && !auth.jwks) {
        auth = { ...auth, secret: await developmentSecret(config.dataDir) };
        devToken = await signToken(auth.secret!, 'dev-user');
      }
      const folder = new TaskCountFolder({
        knex: database.knex,
        logger: logger.child({ component: 'task-counts' }),
      });
      folder.start();
      parts.push(() => folder.stop());
      const app = await buildApp({
        knex: database.knex,
        logger,
        auth,
        port: config.port,
        host: config.host,
        keepAliveSeconds: config.httpKeepAliveSeconds,
        corsOrigins: config.corsOrigins,
        resolverMetrics: config.resolverMetrics,
        graphiql: config.nodeEnv !== 'production',
        readinessChecks: checks,
        channels: {
          vapidPublicKey: vapid?.publicKey,
          mailer,
          allowPrivateAddresses: delivery.allowPrivateAddresses,
          publicUrl: delivery.publicUrl,
        },
      }).start();
      // Registered in this order, app.stop runs before feed.stop, yet also if the feed fails to start.
      const feed: { consumer?: Awaited<ReturnType<typeof startLiveFeed>> } = {};
      parts.push(async () => await feed.consumer?.stop());
      parts.push(() => app.stop());
      feed.consumer = await startLiveFeed({ transport, hub: app.live, logger });
      url = app.url;
    } else {
      const ops = await startOpsServer({ port: config.port, host: config.host, checks, logger });
      parts.push(() => ops.stop());
      url = ops.url;
    }
    return { url, devToken, stop, failed: topics.refused };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
