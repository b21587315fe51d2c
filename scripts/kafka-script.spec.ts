import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

// A second broker on spare ports, so a broker on 9092 (dev or test run) is left alone.
const PORT = 19092;
const CONTROLLER_PORT = 19093;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PID_FILE = join(ROOT, '.cache', 'kafka', `run-${PORT}`, 'kafka.pid');
const ENV = {
  ...process.env,
  KAFKA_PORT: String(PORT),
  KAFKA_CONTROLLER_PORT: String(CONTROLLER_PORT),
  KAFKA_CLEAN: '1',
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kafkaScript(command: 'start' | 'stop' | 'status'): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['scripts/kafka.sh', command],
      { cwd: ROOT, env: ENV },
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

  test('start runs a KRaft broker and waits until it is ready', async () => {
    const result = await kafkaScript('start');
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`ready on 127.0.0.1:${PORT}`),
    });
    pid = readPid();
    expect(pid).toMatch(/^\d+$/);
    expect(await accepts(PORT)).toBe(true);
    expect((await kafkaScript('status')).code).toBe(0);
  }, 240_000);

  test('start again is safe and keeps the running broker', async () => {
    const result = await kafkaScript('start');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('already running') });
    expect(readPid()).toBe(pid);
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
});
