import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('binds to 127.0.0.1 unless HOST is set, so a development machine is not open to its network', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) }).host).toBe(
      '127.0.0.1',
    );
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('serves metrics on METRICS_PORT, 9464 unless set, never on the API port', () => {
    expect(loadConfig({})).toMatchObject({ port: 4000, metricsPort: 9464 });
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' })).toMatchObject({ port: 0, metricsPort: 0 });
    expect(() => loadConfig({ PORT: '9100', METRICS_PORT: '9100' })).toThrow(
      'METRICS_PORT must differ from PORT',
    );
  });

  it('keeps idle HTTP connections 65 s unless HTTP_KEEP_ALIVE_SECONDS says otherwise', () => {
    expect(loadConfig({}).httpKeepAliveSeconds).toBe(65);
    expect(loadConfig({ HTTP_KEEP_ALIVE_SECONDS: '620' }).httpKeepAliveSeconds).toBe(620);
  });

  it('allows no cross-origin reads unless CORS_ORIGINS lists the origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('times no resolver unless METRICS_RESOLVERS names the fields', () => {
    expect(loadConfig({}).resolverMetrics).toEqual([]);
    expect(loadConfig({ METRICS_RESOLVERS: ' Query.tasks, Task.* ' }).resolverMetrics).toEqual([
      'Query.tasks',
      'Task.*',
    ]);
    expect(loadConfig({ METRICS_RESOLVERS: '*' }).resolverMetrics).toEqual(['*']);
    expect(() => loadConfig({ METRICS_RESOLVERS: 'tasks' })).toThrow(
      'METRICS_RESOLVERS must list fields such as Query.tasks,Task.*',
    );
  });

  it('checks iss and aud only when AUTH_ISSUER and AUTH_AUDIENCE are set', () => {
    const secret = { AUTH_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(secret).auth).toMatchObject({ secret: secret.AUTH_JWT_SECRET });
    expect(loadConfig(secret).auth).not.toHaveProperty('issuer');
    expect(loadConfig(secret).auth).not.toHaveProperty('audience');
    expect(
      loadConfig({ ...secret, AUTH_ISSUER: 'https://id.example.com', AUTH_AUDIENCE: 'todo' }).auth,
    ).toMatchObject({ issuer: 'https://id.example.com', audience: ['todo'] });
  });

  it('verifies with nothing but the development secret when no AUTH_* variable is set', () => {
    const { auth } = loadConfig({});
    expect(auth.secret).toBeUndefined();
    expect(auth.jwks).toBeUndefined();
    expect(auth.authorizationServers).toEqual([]);
  });

  it('takes an identity provider instead of a secret, in production too', () => {
    const jwks = loadConfig({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.example.com/jwks',
      AUTH_AUDIENCE: 'todo-api',
    });
    expect(jwks.auth).toMatchObject({
      jwks: { url: 'https://idp.example.com/jwks' },
      audience: ['todo-api'],
    });
    expect(jwks.auth.secret).toBeUndefined();
    const issuer = loadConfig({ NODE_ENV: 'production', AUTH_ISSUER: 'https://id.example.com' });
    expect(issuer.auth).toMatchObject({
      jwks: { issuer: 'https://id.example.com' },
      issuer: 'https://id.example.com',
      authorizationServers: ['https://id.example.com'],
    });
  });

  it('lists the AUTH_* problems next to the others', () => {
    expect(() => loadConfig({ PORT: 'eighty', AUTH_JWKS_URL: 'ftp://idp/jwks' })).toThrow(
      /PORT must be a port number[\s\S]*AUTH_JWKS_URL must be an http\(s\) URL/,
    );
  });

  it('takes a direct URL for sessions next to a pooled DATABASE_URL', () => {
    const pooled = 'postgres://todo:secret@pooler.example.com:6543/todo';
    const direct = 'postgres://todo:secret@db.example.com:5432/todo';
    expect(loadConfig({ DATABASE_URL: pooled })).toMatchObject({
      databaseUrl: pooled,
      databaseDirectUrl: undefined,
    });
    expect(loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct })).toMatchObject({
      databaseUrl: pooled,
      databaseDirectUrl: direct,
    });
    expect(() => loadConfig({ DATABASE_DIRECT_URL: direct })).toThrow(
      'DATABASE_DIRECT_URL needs DATABASE_URL as well',
    );
    expect(() => loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: 'db:5432' })).toThrow(
      'DATABASE_DIRECT_URL must be a URL such as postgres://',
    );
  });

  it('prepares statements unless told not to or a pooler sits in front (a direct URL is set)', () => {
    const pooled = { DATABASE_URL: 'postgres://pooler:6543/todo' };
    const direct = { ...pooled, DATABASE_DIRECT_URL: 'postgres://db:5432/todo' };
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig(direct).databasePreparedStatements).toBe(false);
    expect(
      loadConfig({ ...direct, DATABASE_PREPARED_STATEMENTS: 'true' }).databasePreparedStatements,
    ).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(
      false,
    );
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(
      'DATABASE_PREPARED_STATEMENTS',
    );
  });

  it('delivers with the Svix retry schedule, and private destinations only in development, unless told otherwise', () => {
    const development = loadConfig({}).delivery;
    expect(development.retryScheduleMs).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(development.allowPrivateAddresses).toBe(true);
    expect(development.vapid).toBeUndefined();
    expect(development.smtp).toBeUndefined();
    const production = loadConfig({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      DELIVERY_RETRY_SCHEDULE: '500ms,2s,1m,1h,1d',
      SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      PUBLIC_URL: 'https://todo.example.com/',
    }).delivery;
    expect(production.retryScheduleMs).toEqual([500, 2_000, 60_000, 3_600_000, 86_400_000]);
    expect(production.allowPrivateAddresses).toBe(false);
    expect(production.smtp).toEqual({
      url: 'smtps://user:pw@mail.example.com:465',
      from: 'Todo reminders <reminders@localhost>',
    });
    expect(production.publicUrl).toBe('https://todo.example.com');
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

  it('takes how long the background consumers wait to gather a batch, 50 ms unless set', () => {
    expect(loadConfig({}).consumerBatchWaitMs).toBe(50);
    expect(loadConfig({ KAFKA_CONSUMER_BATCH_WAIT_MS: '0' }).consumerBatchWaitMs).toBe(0);
    expect(() => loadConfig({ KAFKA_CONSUMER_BATCH_WAIT_MS: '5000' })).toThrow(
      /KAFKA_CONSUMER_BATCH_WAIT_MS/,
    );
  });

  it('puts the topics and groups under KAFKA_NAMESPACE when it is set, and refuses a bad one', () => {
    const brokers = { KAFKA_BROKERS: 'localhost:9092' };
    expect(loadConfig(brokers).kafka?.namespace).toBeUndefined();
    expect(loadConfig({ ...brokers, KAFKA_NAMESPACE: ' ' }).kafka?.namespace).toBeUndefined();
    expect(loadConfig({ ...brokers, KAFKA_NAMESPACE: 'staging-2.eu' }).kafka?.namespace).toBe(
      'staging-2.eu',
    );
    for (const bad of ['two words', 'a/b', 'x'.repeat(101)]) {
      expect(() => loadConfig({ ...brokers, KAFKA_NAMESPACE: bad })).toThrow(
        /KAFKA_NAMESPACE must be 1-100 letters/,
      );
    }
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

  describe('KAFKA_SSL_CA', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, pem);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const tls = { KAFKA_BROKERS: '127.0.0.1:9094', KAFKA_SSL: 'true' };

    it.each([
      ['the path of a PEM file', file],
      ['the PEM text', pem],
      ['the PEM text with escaped newlines', pem.replaceAll('\n', '\\n')],
    ])('trusts the CA given as %s', (_, value) => {
      const config = loadConfig({ ...tls, KAFKA_SSL_CA: value });
      expect(config.kafka!.ca).toBe(pem);
      expect(kafkaClientConfig(config.kafka!, pino({ level: 'silent' })).ssl).toEqual({
        ca: [pem],
      });
    });

    it('uses the default roots when unset', () => {
      expect(loadConfig(tls).kafka!.ca).toBeUndefined();
    });

    it.each([
      [
        'a missing file',
        { KAFKA_SSL_CA: '/nonexistent/ca.pem' },
        'KAFKA_SSL_CA cannot be read from /nonexistent/ca.pem (no such file)',
      ],
      [
        'text that is no path',
        { KAFKA_SSL_CA: 'not a certificate' },
        'KAFKA_SSL_CA cannot be read',
      ],
      [
        'PEM without a certificate',
        { KAFKA_SSL_CA: '-----BEGIN PRIVATE KEY-----' },
        'KAFKA_SSL_CA must be PEM certificate(s)',
      ],
      [
        'a CA without TLS',
        { KAFKA_SSL_CA: file, KAFKA_SSL: 'false' },
        'KAFKA_SSL_CA needs KAFKA_SSL=true',
      ],
    ])('refuses %s with a message naming the variable', (_, env, message) => {
      expect(() => loadConfig({ ...tls, ...env })).toThrow(ConfigError);
      expect(() => loadConfig({ ...tls, ...env })).toThrow(message);
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
    [
      { NODE_ENV: 'production' },
      'AUTH_JWT_SECRET or AUTH_JWKS_URL / AUTH_ISSUER is required in production',
    ],
    [{ KAFKA_TOPIC_REPLICATION_FACTOR: '0' }, 'KAFKA_TOPIC_REPLICATION_FACTOR must be -1'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT must be a port number between 0 and 65535'],
    [
      { HTTP_KEEP_ALIVE_SECONDS: '0' },
      'HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds between 1 and 3600',
    ],
    [
      { HTTP_KEEP_ALIVE_SECONDS: '2.5' },
      'HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds between 1 and 3600',
    ],
    [
      { HTTP_KEEP_ALIVE_SECONDS: 'soon' },
      'HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds between 1 and 3600',
    ],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS must list origins such as https://app.example.com'],
    [
      { CORS_ORIGINS: 'https://app.example.com/path' },
      'CORS_ORIGINS must list origins such as https://app.example.com',
    ],
    [{ AUTH_ISSUER: 'my-issuer' }, 'AUTH_ISSUER must be an http(s) URL to discover its keys'],
    [
      { AUTH_AUDIENCE: 'todo' },
      'AUTH_AUDIENCE needs AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_ISSUER',
    ],
    [
      { NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp.example.com/jwks' },
      'AUTH_JWKS_URL must use https in production',
    ],
    [
      { KAFKA_RETENTION_TASK_EVENTS_HOURS: '-1' },
      'KAFKA_RETENTION_TASK_EVENTS_HOURS must be a positive number of hours',
    ],
    [
      { DELIVERY_RETRY_SCHEDULE: '5s,soon' },
      'DELIVERY_RETRY_SCHEDULE must list up to 20 durations',
    ],
    [{ VAPID_PUBLIC_KEY: 'abc' }, 'VAPID_PUBLIC_KEY must be 65 bytes in base64url'],
    [
      { VAPID_PUBLIC_KEY: Buffer.alloc(65, 4).toString('base64url') },
      'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together',
    ],
    [{ VAPID_SUBJECT: 'admin@example.com' }, 'VAPID_SUBJECT must be a mailto: or https: URL'],
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL must be smtp://'],
    [{ PUBLIC_URL: 'todo.example.com' }, 'PUBLIC_URL must be an http(s) URL'],
    [
      { DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'sometimes' },
      'DELIVERY_ALLOW_PRIVATE_ADDRESSES must be one of',
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
