import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Confluent Platform 7.9 = Apache Kafka 3.9, the same line as scripts/kafka.sh (kafkajs-compatible). */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';
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
 * 2. a testcontainers `KafkaContainer` (KRaft) when a Docker engine is reachable;
 * 3. the project script `scripts/kafka.sh start` (Kafka from Maven Central jars) on
 *    127.0.0.1:`KAFKA_PORT` (default 9092). `stop` stops it only if this call started it.
 */
export async function ensureKafka(): Promise<KafkaHandle> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) return { brokers: fromEnv, stop: async () => {} };
  return (await startContainer()) ?? (await startScript());
}

async function dockerReachable(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // Importing testcontainers fails outright on Node versions it does not support; treat as no Docker.
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DOCKER_CHECK_MS);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function startContainer(): Promise<KafkaHandle | undefined> {
  if (!(await dockerReachable())) return undefined;
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
  return {
    brokers: `${container.getHost()}:${container.getMappedPort(9093)}`,
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
