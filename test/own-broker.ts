import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from './roles.ts';

/** A Kafka broker of a spec's own (scripts/kafka.sh), for specs that stop and start it. */
export interface OwnBroker {
  /** `127.0.0.1:<port>`, for KAFKA_BROKERS. */
  brokers: string;
  /** Starts the broker; `clean` wipes its data first. */
  start(clean?: boolean): Promise<void>;
  /** Stops the broker (a no-op when it does not run). */
  stop(): Promise<void>;
}

/**
 * A broker on the fixed client `port` (its controller on `port + 1`). Pick a port below the
 * ephemeral range (32768 and up on Linux), so no client connection can hold it when it starts.
 */
export function ownBroker(port: number): OwnBroker {
  const script = (command: 'start' | 'stop', clean = false) =>
    promisify(execFile)('bash', ['scripts/kafka.sh', command], {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(port + 1),
        KAFKA_CLEAN: clean ? '1' : '',
        // A loaded machine (several brokers of parallel runs) can take minutes to start one.
        KAFKA_START_TIMEOUT: '180',
      },
    });
  return {
    brokers: `127.0.0.1:${port}`,
    start: async (clean = false) => void (await script('start', clean)),
    stop: async () => void (await script('stop')),
  };
}
