import { execFile } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The official Apache Kafka image, the same version scripts/kafka.sh runs by default. */
const KAFKA_IMAGE = 'apache/kafka:4.4.0';
const DOCKER_CHECK_MS = 5000;

/** A Kafka broker for a test run and how to release it. */
export interface KafkaHandle {
  /** Comma-separated `host:port` bootstrap list, e.g. `127.0.0.1:9092`. */
  brokers: string;
  /** Releases the broker if `ensureKafka` started it; a no-op otherwise. */
  stop: () => Promise<void>;
}

/**
 * Finds or starts a real Kafka broker for tests, in this order:
 * 1. `KAFKA_BROKERS` when set (nothing is started, `stop` is a no-op);
 * 2. a testcontainers `apache/kafka` container (KRaft) when a Docker engine is reachable;
 * 3. the project script `scripts/kafka.sh start` (Kafka from Maven Central jars) on
 *    127.0.0.1:`KAFKA_PORT` (default 9092). `stop` stops it only if this call started it.
 */
export async function ensureKafka(): Promise<KafkaHandle> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) return { brokers: fromEnv, stop: async () => {} };
  return (await startContainer()) ?? (await startScript());
}

/** The host that publishes container ports, when a Docker engine answers in time. */
async function dockerHost(): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // Importing testcontainers fails outright on Node versions it does not support; treat as no Docker.
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DOCKER_CHECK_MS);
    });
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    return client.info.containerRuntime.host;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A single-node KRaft broker from the apache/kafka image. The client port is published on the
 * same host port it advertises, so clients outside Docker reach the broker after bootstrap.
 */
async function startContainer(): Promise<KafkaHandle | undefined> {
  const host = await dockerHost();
  if (!host) return undefined;
  const { GenericContainer, Wait } = await import('testcontainers');
  const port = await freePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage('Kafka Server started'))
    .withStartupTimeout(180_000)
    .start();
  return {
    brokers: `${host}:${port}`,
    stop: async () => void (await container.stop()),
  };
}

function kafkaScript(command: 'start' | 'stop' | 'status') {
  return run('bash', ['scripts/kafka.sh', command], { cwd: ROOT });
}

async function startScript(): Promise<KafkaHandle> {
  const wasRunning = await kafkaScript('status').then(
    () => true,
    () => false,
  );
  if (!wasRunning)
    await run('bash', ['scripts/kafka.sh', 'start'], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_CLEAN: '1' },
    });
  else await kafkaScript('start');
  return {
    brokers: `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`,
    stop: async () => {
      if (!wasRunning) await kafkaScript('stop');
    },
  };
}
