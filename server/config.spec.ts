import { pino } from 'pino';
import { kafkaClientConfig } from '../messaging/kafka-transport.ts';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs with nothing set: embedded database, in-process events, default topics', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      kafka: undefined,
      logLevel: 'info',
    });
    expect(config.topics).toEqual([
      { name: 'task-events', partitions: 6, replicationFactor: -1, retentionMs: 7 * 86_400_000 },
      { name: 'task-reminders', partitions: 6, replicationFactor: -1, retentionMs: 86_400_000 },
      {
        name: 'task-recurrence',
        partitions: 6,
        replicationFactor: -1,
        retentionMs: 7 * 86_400_000,
      },
      {
        name: 'task-dead-letter',
        partitions: 1,
        replicationFactor: -1,
        retentionMs: 14 * 86_400_000,
      },
    ]);
  });

  it('takes topic partitions, replication and retention from the environment', () => {
    const { topics } = loadConfig({
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_TOPIC_REPLICATION_FACTOR: '3',
      KAFKA_RETENTION_TASK_EVENTS_HOURS: '48',
      KAFKA_RETENTION_TASK_REMINDERS_HOURS: '0.5',
    });
    expect(topics[0]).toEqual({
      name: 'task-events',
      partitions: 12,
      replicationFactor: 3,
      retentionMs: 48 * 3_600_000,
    });
    expect(topics[1]).toMatchObject({ name: 'task-reminders', retentionMs: 1_800_000 });
  });

  it('connects to Redpanda Cloud with SASL/SCRAM-SHA-256 over TLS', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'seed-abc.redpanda.cloud:9092',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'todo',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    const client = kafkaClientConfig(config.kafka!, pino({ level: 'silent' }));
    expect(client).toMatchObject({
      brokers: ['seed-abc.redpanda.cloud:9092'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'todo', password: 'secret' },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number'],
    [{ PORT: '70000' }, 'PORT must be a port number between 0 and 65535'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL must be a URL such as postgres://'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    [{ KAFKA_SSL: 'maybe' }, 'KAFKA_SSL must be one of true, false'],
    [
      { KAFKA_SASL_MECHANISM: 'scram-sha-256' },
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required',
    ],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET must be at least 32 characters'],
    [{ NODE_ENV: 'production' }, 'AUTH_JWT_SECRET is required in production'],
    [{ KAFKA_TOPIC_REPLICATION_FACTOR: '0' }, 'KAFKA_TOPIC_REPLICATION_FACTOR must be -1'],
    [
      { KAFKA_RETENTION_TASK_EVENTS_HOURS: '-1' },
      'KAFKA_RETENTION_TASK_EVENTS_HOURS must be a positive number of hours',
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
