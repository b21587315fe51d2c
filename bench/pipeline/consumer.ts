import { spawn } from 'node:child_process';
import { ROOT } from '../../test/roles.ts';

/** What the consumer process sends its parent (see consumer-process.ts). */
export interface ConsumerReport {
  /** Each message delivered: event id, partition, offset, broker append time, delivery time. */
  delivered: [string, number, string, number, number][];
  /** Each event whose handler's transaction committed: event id, task id, commit time. */
  handled: [string, string, number][];
}

/** Everything the consumer saw of one event. */
export interface EventTrace {
  taskId?: string;
  /** Broker append time of each copy in the log, by `partition:offset`. */
  copies: Map<string, number>;
  /** Deliveries to the consumer, redeliveries of a copy included. */
  deliveries: number;
  /** When its handler's transaction first committed, and how many times it did. */
  handledAt?: number;
  handledTimes: number;
}

/** The consumer process and what it reported so far. */
export interface ConsumerProcess {
  pid: number;
  /** By event id. */
  events: Map<string, EventTrace>;
  /** Event id by task id, for events that were handled. */
  eventOfTask: Map<string, string>;
  output(): string;
  /**
   * Resolves once `done()` holds, checked after each report; rejects when the consumer handled
   * nothing new for `idleMs` (however long it keeps making progress).
   */
  waitFor(done: () => boolean, idleMs: number, what: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts bench/pipeline/consumer-process.ts with `env` (DATABASE_URL, KAFKA_BROKERS, BENCH_GROUP)
 * and resolves once its consumer group member runs.
 */
export async function startConsumer(env: Record<string, string>): Promise<ConsumerProcess> {
  const child = spawn(process.execPath, ['bench/pipeline/consumer-process.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const events = new Map<string, EventTrace>();
  const eventOfTask = new Map<string, string>();
  const trace = (id: string) => {
    let event = events.get(id);
    if (!event) events.set(id, (event = { copies: new Map(), deliveries: 0, handledTimes: 0 }));
    return event;
  };
  const waiters = new Set<() => void>();
  let progressAt = Date.now();
  child.on('message', (message: ConsumerReport | { ready: true }) => {
    if (!('delivered' in message)) return;
    for (const [id, partition, offset, appendedAt] of message.delivered) {
      const event = trace(id);
      event.deliveries += 1;
      event.copies.set(`${partition}:${offset}`, appendedAt);
    }
    if (message.handled.length > 0) progressAt = Date.now();
    for (const [id, taskId, at] of message.handled) {
      const event = trace(id);
      event.taskId = taskId;
      event.handledAt ??= at;
      event.handledTimes += 1;
      eventOfTask.set(taskId, id);
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean }) => message.ready && resolve());
    void exited.then(() => reject(new Error(`the consumer process exited:\n${output}`)));
  });
  return {
    pid: child.pid!,
    events,
    eventOfTask,
    output: () => output,
    async waitFor(done, idleMs, what) {
      if (done()) return;
      progressAt = Math.max(progressAt, Date.now());
      await new Promise<void>((resolve, reject) => {
        const finish = (error?: Error) => {
          clearInterval(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => done() && finish();
        const timer = setInterval(() => {
          if (Date.now() - progressAt > idleMs)
            finish(new Error(`the consumer handled nothing for ${idleMs} ms; waiting for ${what}`));
        }, 200);
        waiters.add(check);
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
