import { latencyResults, type BenchResult } from '../stats.ts';
import { commitTimes } from './commit-times.ts';
import { cpuWindow } from './cpu.ts';
import { failures, openLoop, wallNow, type TaskWriter, type Write } from './load.ts';
import { meteredProcesses, type Stack } from './stack.ts';
import { resetStatements, topStatements } from './statements.ts';
import type { TaskEventSubscribers } from './subscribers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The steady load: `rate` creates per second over the users of `tokens`. */
export interface SteadyLoad {
  tokens: string[];
  rate: number;
  warmUp: number;
  seconds: number;
}

/**
 * Waits until the consumer handled the event of every task in `taskIds` (or handled nothing for
 * 30 s) and, with `subscribers`, until they received it (up to 30 s more); resolves with the task
 * ids the consumer never handled.
 */
export async function awaitDelivery(
  stack: Stack,
  taskIds: string[],
  subscribers?: TaskEventSubscribers,
): Promise<string[]> {
  const unhandled = () => taskIds.filter((id) => !stack.consumer.eventOfTask.has(id));
  await stack.consumer
    .waitFor(() => unhandled().length === 0, 30_000, 'every write to reach the consumer')
    .catch(() => undefined);
  for (let waited = 0; subscribers && waited < 30_000; waited += 200) {
    const received = subscribers.receivedAt();
    if (taskIds.every((id) => received.has(id))) break;
    await sleep(200);
  }
  return unhandled();
}

/** When the broker first appended the event of task `taskId`, if the consumer saw it. */
export function appendedAt(stack: Stack, taskId: string): number | undefined {
  const trace = stack.consumer.events.get(stack.consumer.eventOfTask.get(taskId) ?? '');
  return trace && Math.min(...trace.copies.values());
}

/**
 * Open-loop createTask load through the API for `warmUp` + `seconds`; for the writes due after
 * the warm-up: commit -> broker ack (PostgreSQL commit timestamp to the broker's append time),
 * write -> a `taskEvents` subscriber of the user, and write -> API response, the last two from
 * each write's scheduled start.
 */
export async function benchSteadyLoad(
  stack: Stack,
  writer: TaskWriter,
  apiPid: number,
  subscribers: TaskEventSubscribers,
  load: SteadyLoad,
): Promise<BenchResult[]> {
  let window: ReturnType<typeof cpuWindow> | undefined;
  await resetStatements(stack.knex);
  const writes = await openLoop(
    writer,
    { tokens: load.tokens, rate: load.rate, seconds: load.warmUp + load.seconds, label: 'steady' },
    (startedAt) => {
      const opensIn = startedAt + load.warmUp * 1000 - wallNow();
      const pids = () => meteredProcesses(stack, apiPid);
      window = cpuWindow(pids, opensIn, load.seconds * 1000);
    },
  );
  const cpu = window!.read();
  const statements = await topStatements(stack.knex, writes.length);
  if (statements) console.log(`pipeline: steady load, warm-up included\n${statements}`);
  const measured = writes.slice(Math.round(load.rate * load.warmUp));
  const ok = measured.filter((write): write is Write & { taskId: string } => !!write.taskId);
  if (ok.length === 0) throw new Error(`every write failed: ${measured[0]?.error}`);
  const lost = await awaitDelivery(
    stack,
    ok.map((write) => write.taskId),
    subscribers,
  );
  const committed = await commitTimes(
    stack.knex,
    ok.map((write) => write.taskId),
  );
  const received = subscribers.receivedAt();
  const acks = ok.flatMap((write) => {
    const at = appendedAt(stack, write.taskId);
    return at === undefined ? [] : [at - committed.get(write.taskId)!];
  });
  const toSubscriber = ok.map(
    (write) => (received.get(write.taskId) ?? Infinity) - write.scheduledAt,
  );
  const notReceived = toSubscriber.filter((ms) => ms === Infinity).length;
  const { errors, ended } = subscribers.problems();
  const setting = `${load.rate} createTask/s through the API over HTTP, open loop, spread over ${load.tokens.length} users, for ${load.seconds} s after ${load.warmUp} s of warm-up; writes: ${failures(measured)}; one relay process; CPU in cores of 2: ${cpu}`;
  return [
    ...latencyResults(
      'pipeline: commit to broker ack',
      acks,
      `${setting}; commit time from PostgreSQL (pg_xact_commit_timestamp), ack time the broker's append time (LogAppendTime); ${lost.length} events never reached the consumer`,
    ),
    ...latencyResults(
      'pipeline: write to taskEvents subscriber',
      toSubscriber,
      `${setting}; from each write's scheduled start to its arrival at the user's graphql-ws subscriber (one per user); ${notReceived} never arrived (counted as infinite); ${errors.length} stream errors, ${ended} streams ended by the server`,
    ),
    ...latencyResults(
      'pipeline: write to API response',
      measured.map((write) => write.respondedAt! - write.scheduledAt),
      `${setting}; from each write's scheduled start`,
    ),
  ];
}
