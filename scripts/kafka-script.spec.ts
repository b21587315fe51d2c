import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners, type KafkaConfig } from 'kafkajs';

// A second broker on spare ports, so a broker on 9092 (dev or test run) is left alone.
const PORT = 19092;
const CONTROLLER_PORT = 19093;
const SASL_SSL_PORT = 19094;
const SCRAM_USERS = 'alice:alice-secret,bob:bob-secret';
/** The version the script runs: KAFKA_VERSION when set, a 4.x release by default. */
const VERSION = process.env.KAFKA_VERSION?.replaceAll('.', '\\.') ?? '4\\.\\d+\\.\\d+';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN_DIR = join(ROOT, '.cache', 'kafka', `run-${PORT}`);
const PID_FILE = join(RUN_DIR, 'kafka.pid');
const CA_FILE = join(RUN_DIR, 'tls', 'ca.pem');
const ENV = {
  ...process.env,
  KAFKA_PORT: String(PORT),
  KAFKA_CONTROLLER_PORT: String(CONTROLLER_PORT),
  KAFKA_SASL_SSL_PORT: String(SASL_SSL_PORT),
  KAFKA_SCRAM_USERS: SCRAM_USERS,
  KAFKA_CLEAN: '1',
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kafkaScript(
  command: 'start' | 'stop' | 'status',
  env: Record<string, string> = {},
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['scripts/kafka.sh', command],
      { cwd: ROOT, env: { ...ENV, ...env } },
      (error, stdout, stderr) =>
        resolve({
          code: !error ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => resolve(socket.destroy() === socket));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(!socket.destroy()));
  });
}

const readPid = () => readFileSync(PID_FILE, 'utf8').trim();

describe('scripts/kafka.sh', () => {
  afterAll(async () => {
    await kafkaScript('stop');
  }, 60_000);

  let pid = '';

  test('refuses a malformed KAFKA_SCRAM_USERS before starting anything', async () => {
    const result = await kafkaScript('start', { KAFKA_SCRAM_USERS: 'alice' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("KAFKA_SCRAM_USERS entry 'alice' is not name:password");
    expect(await accepts(PORT)).toBe(false);
  }, 240_000);

  test('start runs a KRaft broker and waits until it is ready', async () => {
    const result = await kafkaScript('start');
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(`Kafka ${VERSION} ready on 127\\.0\\.0\\.1:${PORT}`),
      ),
    });
    expect(result.stdout).toContain(
      `SASL_SSL (SCRAM-SHA-256) on 127.0.0.1:${SASL_SSL_PORT}, CA certificate: ${CA_FILE}`,
    );
    pid = readPid();
    expect(pid).toMatch(/^\d+$/);
    expect(await accepts(PORT)).toBe(true);
    expect(await accepts(SASL_SSL_PORT)).toBe(true);
    expect((await kafkaScript('status')).code).toBe(0);
  }, 240_000);

  test('logs through Log4j 2 into broker.log only', () => {
    expect(readFileSync(join(RUN_DIR, 'broker.log'), 'utf8')).toContain('Kafka Server started');
    expect(readFileSync(join(RUN_DIR, 'console.log'), 'utf8')).toBe('');
    expect(readFileSync(join(RUN_DIR, 'format.log'), 'utf8')).not.toMatch(
      /Reconfiguration failed|StatusLogger/,
    );
  });

  test('start again is safe and keeps the running broker', async () => {
    const result = await kafkaScript('start');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('already running') });
    expect(result.stdout).toContain(`CA certificate: ${CA_FILE}`);
    expect(readPid()).toBe(pid);
  }, 60_000);

  test('the generated CA signed a broker certificate for 127.0.0.1 and localhost', () => {
    const ca = new X509Certificate(readFileSync(CA_FILE));
    const broker = new X509Certificate(readFileSync(join(RUN_DIR, 'tls', 'broker.pem')));
    expect(ca.ca).toBe(true);
    expect(broker.ca).toBe(false);
    expect(broker.checkIssued(ca) && broker.verify(ca.publicKey)).toBe(true);
    expect(broker.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(broker.checkHost('localhost')).toBe('localhost');
  });

  test('SASL_SSL accepts every SCRAM-SHA-256 user over TLS and refuses a wrong password', async () => {
    const connect = async (username: string, password: string) => {
      const config: KafkaConfig = {
        brokers: [`127.0.0.1:${SASL_SSL_PORT}`],
        ssl: { ca: [readFileSync(CA_FILE, 'utf8')] },
        sasl: { mechanism: 'scram-sha-256', username, password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      };
      const admin = new Kafka(config).admin();
      try {
        await admin.connect();
        return await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    };
    for (const user of SCRAM_USERS.split(',')) {
      const [name, password] = user.split(':') as [string, string];
      const cluster = await connect(name, password);
      expect(cluster.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: SASL_SSL_PORT }]);
    }
    await expect(connect('alice', 'wrong')).rejects.toMatchObject({
      message: expect.stringContaining('Authentication failed'),
    });
  }, 60_000);

  test('kafkajs creates a topic, produces and consumes keyed messages in order', async () => {
    const kafka = new Kafka({
      clientId: 'kafka-script-spec',
      brokers: [`127.0.0.1:${PORT}`],
      logLevel: logLevel.NOTHING,
    });
    const topic = `kafka-script-spec-${Date.now()}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    try {
      await admin.connect();
      expect(
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
      ).toBe(true);
      expect(await admin.listTopics()).toContain(topic);

      const sent = [1, 2, 3].map((i) => ({ key: `key-${i}`, value: `value-${i}` }));
      await producer.connect();
      await producer.send({ topic, messages: sent });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: { key: string; value: string }[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`received only ${received.length} of 3`)),
          60_000,
        );
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push({ key: String(message.key), value: String(message.value) });
            if (received.length === sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      expect(received).toEqual(sent);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 120_000);

  test('stop ends the broker; status then fails', async () => {
    const result = await kafkaScript('stop');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('stopped') });
    expect(await accepts(PORT)).toBe(false);
    expect(existsSync(PID_FILE)).toBe(false);
    expect((await kafkaScript('status')).code).not.toBe(0);
    expect((await kafkaScript('stop')).code).toBe(0);
  }, 60_000);

  test('a restart keeps the data and the CA; changed SCRAM users need KAFKA_CLEAN=1', async () => {
    const ca = readFileSync(CA_FILE, 'utf8');
    const changed = await kafkaScript('start', {
      KAFKA_CLEAN: '0',
      KAFKA_SCRAM_USERS: 'carol:carol-secret',
    });
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain('start with KAFKA_CLEAN=1');
    expect(await accepts(PORT)).toBe(false);

    const restarted = await kafkaScript('start', { KAFKA_CLEAN: '0' });
    expect(restarted).toMatchObject({ code: 0, stdout: expect.stringContaining('ready on') });
    expect(restarted.stdout).not.toContain('formatting storage');
    expect(readFileSync(CA_FILE, 'utf8')).toBe(ca);
    expect((await kafkaScript('stop')).code).toBe(0);
  }, 120_000);
});
