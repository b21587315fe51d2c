import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { parseEvent } from '../model/events/parse-event.ts';
import { createTask, useTestApi } from '../test/api.ts';
import { collect, eventually, testTopics } from '../test/kafka.ts';
import { ROOT, startRole } from '../test/roles.ts';
import { KafkaAccessError } from './kafka-access-error.ts';
import type { KafkaOptions } from './kafka-options.ts';
import { KafkaTransport } from './kafka-transport.ts';
import { TOPICS } from '../model/events/topics.ts';
import { transportContract } from '../test/transport-contract.ts';

// A broker of this file's own, with a SASL_SSL listener (SCRAM-SHA-256 over TLS, the way Redpanda
// Cloud is reached), on ports no other spec uses (19692-19694), below Linux's ephemeral range
// (32768-60999): there, a client socket of another spec can hold the port when the broker binds.
const PORT = 19692;
const SASL_SSL_PORT = 19694;
const BROKER = `127.0.0.1:${SASL_SSL_PORT}`;
const USER = 'todo';
const PASSWORD = 'todo-secret-over-tls';

const run = promisify(execFile);
const kafkaScript = (command: 'start' | 'stop') =>
  run('bash', ['scripts/kafka.sh', command], {
    cwd: ROOT,
    env: {
      ...process.env,
      KAFKA_PORT: String(PORT),
      KAFKA_CONTROLLER_PORT: String(PORT + 1),
      KAFKA_SASL_SSL_PORT: String(SASL_SSL_PORT),
      KAFKA_SCRAM_USERS: `${USER}:${PASSWORD}`,
      KAFKA_CLEAN: '1',
    },
  });

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'kafka-sasl-ssl-'));
/** The CA that signed the broker's certificate, as scripts/kafka.sh prints it. */
let caPath = '';
/** A CA that signed nothing the broker presents. */
const untrustedCaPath = join(dir, 'untrusted-ca.pem');

const settings = (overrides: Partial<KafkaOptions> = {}): KafkaOptions => ({
  brokers: [BROKER],
  clientId: 'sasl-ssl-spec',
  ssl: true,
  ca: readFileSync(caPath, 'utf8'),
  sasl: { mechanism: 'scram-sha-256', username: USER, password: PASSWORD },
  ...overrides,
});

beforeAll(async () => {
  const [{ stdout }] = await Promise.all([
    kafkaScript('start'),
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=untrusted test CA',
      '-keyout',
      join(dir, 'untrusted-ca.key'),
      '-out',
      untrustedCaPath,
    ]),
  ]);
  caPath = /CA certificate: (\S+)/.exec(stdout)?.[1] ?? '';
  expect(stdout).toContain(`SASL_SSL (SCRAM-SHA-256) on ${BROKER}`);
}, 180_000);

afterAll(async () => {
  await kafkaScript('stop');
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

// The relay drains the whole outbox, so it gets a database of its own.
const api = useTestApi({ ownDatabase: true });
const roleEnv = () => ({
  DATABASE_URL: api.databaseUrl,
  KAFKA_BROKERS: BROKER,
  KAFKA_SSL: 'true',
  KAFKA_SSL_CA: caPath,
  KAFKA_SASL_MECHANISM: 'scram-sha-256',
  KAFKA_SASL_USERNAME: USER,
  KAFKA_SASL_PASSWORD: PASSWORD,
});

transportContract('kafka over SASL_SSL', async () => new KafkaTransport(settings(), silent));

const refusals = [
  {
    what: 'a wrong password',
    settings: () =>
      settings({ sasl: { mechanism: 'scram-sha-256', username: USER, password: 'nope' } }),
    env: { KAFKA_SASL_PASSWORD: 'nope' },
    reason: 'authentication',
    message: `Kafka authentication failed: ${BROKER} refused user "${USER}" (SASL scram-sha-256)`,
  },
  {
    what: 'a certificate signed by an untrusted CA',
    settings: () => settings({ ca: readFileSync(untrustedCaPath, 'utf8') }),
    env: { KAFKA_SSL_CA: untrustedCaPath },
    reason: 'tls',
    message: `Kafka TLS certificate not trusted: ${BROKER} failed verification`,
  },
];

describe.each(refusals)('with $what', ({ settings, reason, message }) => {
  it('every operation fails at once with a KafkaAccessError, without retrying', async () => {
    const transport = new KafkaTransport(settings(), silent);
    const refused = expect.objectContaining({
      name: 'KafkaAccessError',
      reason,
      message: expect.stringContaining(message),
    });
    const started = Date.now();
    try {
      await expect(transport.ensureTopics(testTopics())).rejects.toEqual(refused);
      await expect(transport.publish([{ topic: 'any', key: 'k', value: 'v' }])).rejects.toEqual(
        refused,
      );
      await expect(
        transport.consume({
          groupId: `refused-${randomUUID()}`,
          topics: [TOPICS.taskEvents.name],
          fromBeginning: true,
          handle: async () => {},
        }),
      ).rejects.toBeInstanceOf(KafkaAccessError);
      // Retried like a network error, each of the three would take about 3 s.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await transport.close();
    }
  }, 30_000);
});

it('a role process refuses to start within seconds on each refusal, saying why', async () => {
  const started = Date.now();
  const roles = refusals.map(({ env }) => startRole('relay', { ...roleEnv(), ...env }));
  try {
    expect(await Promise.all(roles.map((role) => role.exited))).toEqual([1, 1]);
    expect(Date.now() - started).toBeLessThan(15_000);
    refusals.forEach(({ message }, i) => {
      const stderr = roles[i]!.output()
        .split('\n')
        .filter((line) => !line.startsWith('{'));
      expect(stderr.join('\n')).toContain(message);
      expect(stderr.join('\n')).not.toMatch(/^\s+at /m);
      expect(roles[i]!.output()).not.toContain(PASSWORD);
    });
  } finally {
    for (const role of roles) role.child.kill('SIGKILL');
  }
}, 30_000);

it('a relay process connects through the listener, turns ready and publishes events', async () => {
  const transport = new KafkaTransport(settings(), silent);
  await transport.ensureTopics(testTopics());
  const events = await collect(transport, [TOPICS.taskEvents.name]);
  const relay = startRole('relay', roleEnv());
  try {
    const url = await relay.url();
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const user = await api.user();
    const task = await createTask<{ id: string }>(user, { title: 'Over SASL_SSL' });
    await eventually(
      () => events.messages.some((message) => message.key === task.id),
      'the task.created event',
      20_000,
    );
    const message = events.messages.find((candidate) => candidate.key === task.id)!;
    expect(parseEvent(message.value)).toMatchObject({
      type: 'task.created',
      taskId: task.id,
      userId: user.userId,
    });
    expect((await relay.stop()).code).toBe(0);
    expect(relay.output()).not.toContain(PASSWORD);
  } finally {
    relay.child.kill('SIGKILL');
    await events.stop();
    await transport.close();
  }
}, 60_000);
