import { z } from 'zod';
import { TOPICS } from '../model/events/topics.ts';
import type { DatabaseOptions } from '../db/database.ts';
import { LOG_LEVELS, type LoggerOptions } from '../lib/logger.ts';
import type { KafkaOptions } from '../messaging/kafka-options.ts';
import { KAFKA_NAMESPACE } from '../messaging/namespaced-transport.ts';
import type { TopicSpec } from '../messaging/transport.ts';
import { NamedError } from '../model/errors.ts';
import { parseAuthEnv, type AuthOptions } from './auth/auth-options.ts';
import {
  base64UrlKey,
  durationList,
  optionalText,
  originList,
  pemCertificates,
  resolverList,
} from './config-fields.ts';
import type { DeliveryOptions } from '../consumers/delivery/options.ts';
import { BATCH_WAIT_MS } from '../consumers/runtime/run-consumer.ts';
import { DEFAULT_RETRY_SCHEDULE_MS } from '../model/channels.ts';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be a URL such as postgres://user:password@host:5432/database');

const brokerList = z
  .string()
  .trim()
  .transform((value) => value.split(',').map((broker) => broker.trim()))
  .refine(
    (brokers) => brokers.every((broker) => /^[^\s:]+:\d{1,5}$/.test(broker)),
    'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092,broker2:9092',
  );

const port = (defaultPort: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(0)
    .max(65535, 'must be a port number between 0 and 65535')
    .default(defaultPort);

const retentionHours = (hours: number) =>
  z.coerce
    .number({ error: 'must be a number of hours' })
    .positive('must be a positive number of hours')
    .max(24 * 365 * 10)
    .default(hours);

const KEEP_ALIVE_RANGE = 'must be a whole number of seconds between 1 and 3600';
/** How long an idle HTTP connection stays open by default (why 65: server/app.ts). */
export const DEFAULT_KEEP_ALIVE_SECONDS = 65;

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port(4000),
    METRICS_PORT: port(9464),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    HTTP_KEEP_ALIVE_SECONDS: z.coerce
      .number({ error: KEEP_ALIVE_RANGE })
      .int(KEEP_ALIVE_RANGE)
      .min(1, KEEP_ALIVE_RANGE)
      .max(3600, KEEP_ALIVE_RANGE)
      .default(DEFAULT_KEEP_ALIVE_SECONDS),
    CORS_ORIGINS: originList,
    METRICS_RESOLVERS: optionalText.pipe(resolverList),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    DATABASE_URL: optionalText.pipe(postgresUrl.optional()),
    DATABASE_DIRECT_URL: optionalText.pipe(postgresUrl.optional()),
    DATA_DIR: z.string().trim().min(1).default('.data'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DATABASE_PREPARED_STATEMENTS: optionalText.pipe(booleanFlag.optional()),
    KAFKA_BROKERS: optionalText.pipe(brokerList.optional()),
    KAFKA_CLIENT_ID: z.string().trim().min(1).default('todo-events'),
    KAFKA_NAMESPACE: optionalText.pipe(
      z
        .string()
        .regex(
          KAFKA_NAMESPACE,
          "must be 1-100 letters, digits, '.', '_' or '-' (topics become <namespace>.task-events, …); leave it unset for none",
        )
        .optional(),
    ),
    KAFKA_SSL: booleanFlag.default(false),
    KAFKA_SSL_CA: pemCertificates,
    KAFKA_SASL_MECHANISM: optionalText.pipe(
      z
        .enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
          error: 'must be one of plain, scram-sha-256, scram-sha-512',
        })
        .optional(),
    ),
    KAFKA_SASL_USERNAME: optionalText,
    KAFKA_SASL_PASSWORD: optionalText,
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
    KAFKA_CONSUMER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(BATCH_WAIT_MS),
    KAFKA_TOPIC_REPLICATION_FACTOR: z.coerce
      .number()
      .int()
      .min(-1)
      .max(10, 'must be -1 (the broker default) or 1-10')
      .refine((n) => n !== 0, 'must be -1 (the broker default) or 1-10')
      .default(-1),
    KAFKA_RETENTION_TASK_EVENTS_HOURS: retentionHours(168),
    KAFKA_RETENTION_TASK_REMINDERS_HOURS: retentionHours(24),
    KAFKA_RETENTION_TASK_RECURRENCE_HOURS: retentionHours(168),
    KAFKA_RETENTION_DEAD_LETTER_HOURS: retentionHours(336),
    PUBLIC_URL: optionalText.pipe(
      z
        .url({
          protocol: /^https?$/,
          error: 'must be an http(s) URL, e.g. https://todo.example.com',
        })
        .optional(),
    ),
    VAPID_PUBLIC_KEY: base64UrlKey(65),
    VAPID_PRIVATE_KEY: base64UrlKey(32),
    VAPID_SUBJECT: optionalText.pipe(
      z
        .string()
        .regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL the push service may contact')
        .optional(),
    ),
    SMTP_URL: optionalText.pipe(
      z
        .url({
          protocol: /^smtps?$/,
          error: 'must be smtp://user:password@host:587 or smtps://...',
        })
        .optional(),
    ),
    SMTP_FROM: optionalText,
    DELIVERY_RETRY_SCHEDULE: durationList,
    DELIVERY_REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(15),
    DELIVERY_DISABLE_AFTER_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(120),
    DELIVERY_ALLOW_PRIVATE_ADDRESSES: optionalText.pipe(booleanFlag.optional()),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_DIRECT_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_DIRECT_URL'],
        message: 'needs DATABASE_URL as well (the pooled URL the queries go through)',
      });
    }
    if (env.KAFKA_SASL_MECHANISM && (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_USERNAME'],
        message:
          'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM',
      });
    }
    if (env.KAFKA_SSL_CA && !env.KAFKA_SSL) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SSL_CA'],
        message: 'needs KAFKA_SSL=true: the CA is only used for TLS connections',
      });
    }
    if (!env.VAPID_PUBLIC_KEY !== !env.VAPID_PRIVATE_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: [env.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'],
        message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both, or neither',
      });
    }
    if (env.METRICS_PORT === env.PORT && env.PORT !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: metrics are not served on the API port',
      });
    }
  });

/**
 * Validated runtime configuration, read from environment variables only: the options of each
 * layer (logger, database, Kafka) and the server's own.
 */
export interface Config extends LoggerOptions, DatabaseOptions {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  /** The interface the API (or ops) port and the metrics port bind; loopback unless set. */
  host: string;
  /** Where `GET /metrics` is served, apart from the API. */
  metricsPort: number;
  /** How long the API keeps an idle HTTP connection open for the client's next request. */
  httpKeepAliveSeconds: number;
  /** Origins whose pages may read the API's answers; none when empty. */
  corsOrigins: string[];
  /** The fields whose resolvers are timed (`Type.field`, `Type.*`, `*`); none when empty. */
  resolverMetrics: string[];
  /**
   * How bearer tokens are verified (the `AUTH_*` variables): an HS256 secret, an identity
   * provider's JWKS, or both. With neither, outside production, the API signs with a development
   * secret kept in `dataDir` (see `startRole`).
   */
  auth: AuthOptions;
  /** Kafka connection; when absent events use the in-process transport. */
  kafka: KafkaOptions | undefined;
  /** The product's topics with the partitions and retention they are created with. */
  topics: TopicSpec[];
  /**
   * How long the background consumers (notification, recurrence, delivery) let the broker hold a
   * fetch to gather a larger batch; 0 answers at once (see runConsumer's `batchWaitMs`).
   */
  consumerBatchWaitMs: number;
  /**
   * How reminders are delivered to push, webhook and email channels. Without VAPID keys, outside
   * production, `startRole` makes a pair kept in `dataDir`.
   */
  delivery: DeliveryOptions;
}

/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends NamedError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Reads and validates the configuration from environment variables.
 * @throws ConfigError listing every invalid variable and how to fix it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const auth = parseAuthEnv(env);
  if (!parsed.success || auth.problems) {
    throw new ConfigError([
      ...(parsed.error?.issues.map(
        (issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`,
      ) ?? []),
      ...(auth.problems ?? []),
    ]);
  }
  const e = parsed.data;
  const requestTimeoutMs = e.DELIVERY_REQUEST_TIMEOUT_SECONDS * 1_000;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    httpKeepAliveSeconds: e.HTTP_KEEP_ALIVE_SECONDS,
    corsOrigins: e.CORS_ORIGINS,
    resolverMetrics: e.METRICS_RESOLVERS,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    databaseDirectUrl: e.DATABASE_DIRECT_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    // A direct URL beside DATABASE_URL means a transaction-mode pooler in front of it, which may
    // not keep named statements (PgBouncer before 1.21).
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS ?? !e.DATABASE_DIRECT_URL,
    dataDir: e.DATA_DIR,
    auth: auth.options,
    kafka: e.KAFKA_BROKERS
      ? {
          brokers: e.KAFKA_BROKERS,
          clientId: e.KAFKA_CLIENT_ID,
          namespace: e.KAFKA_NAMESPACE,
          ssl: e.KAFKA_SSL,
          ca: e.KAFKA_SSL_CA,
          sasl: e.KAFKA_SASL_MECHANISM
            ? {
                mechanism: e.KAFKA_SASL_MECHANISM,
                username: e.KAFKA_SASL_USERNAME!,
                password: e.KAFKA_SASL_PASSWORD!,
              }
            : undefined,
        }
      : undefined,
    topics: (
      [
        [TOPICS.taskEvents, e.KAFKA_RETENTION_TASK_EVENTS_HOURS],
        [TOPICS.taskReminders, e.KAFKA_RETENTION_TASK_REMINDERS_HOURS],
        [TOPICS.taskRecurrence, e.KAFKA_RETENTION_TASK_RECURRENCE_HOURS],
        [TOPICS.deadLetter, e.KAFKA_RETENTION_DEAD_LETTER_HOURS],
      ] as const
    ).map(([topic, hours]) => ({
      name: topic.name,
      partitions: topic === TOPICS.deadLetter ? 1 : e.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: e.KAFKA_TOPIC_REPLICATION_FACTOR,
      retentionMs: Math.round(hours * 3_600_000),
    })),
    consumerBatchWaitMs: e.KAFKA_CONSUMER_BATCH_WAIT_MS,
    delivery: {
      retryScheduleMs: e.DELIVERY_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE_MS,
      requestTimeoutMs,
      leaseMs: requestTimeoutMs + 15_000,
      disableAfterMs: e.DELIVERY_DISABLE_AFTER_HOURS * 3_600_000,
      allowPrivateAddresses: e.DELIVERY_ALLOW_PRIVATE_ADDRESSES ?? e.NODE_ENV === 'development',
      vapid:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? {
              publicKey: e.VAPID_PUBLIC_KEY,
              privateKey: e.VAPID_PRIVATE_KEY,
              subject: e.VAPID_SUBJECT ?? 'mailto:admin@localhost',
            }
          : undefined,
      smtp: e.SMTP_URL
        ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? 'Todo reminders <reminders@localhost>' }
        : undefined,
      publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    },
  };
}
