import { createKnex } from '../../db/knex.ts';
import { createTask } from '../../domain/task-commands.ts';
import type { BenchResult } from '../stats.ts';
import { cpuWindow } from './cpu.ts';
import { closedLoop, wallNow, type TaskWriter } from './load.ts';
import { meteredProcesses, type Stack } from './stack.ts';

const WRITERS = 16;
/**
 * Rounds of each side, the side that goes first alternating: the machine's speed drifts within
 * minutes, and a side that always went first would carry that drift alone.
 */
const ROUNDS = 4;
/** Warm-up of a side's later rounds; its first has the window's own. */
const REWARM_SECONDS = 1;

type Write = (writer: number, n: number) => Promise<boolean>;

/** Runs `write` closed-loop with WRITERS writers; the rate, failures and CPU of the window. */
async function measure(
  stack: Stack,
  apiPid: number,
  write: Write,
  window: { warmUp: number; seconds: number },
) {
  const pids = () => meteredProcesses(stack, apiPid);
  const cpu = cpuWindow(pids, window.warmUp * 1000, window.seconds * 1000);
  return { ...(await closedLoop(WRITERS, write, window)), cpu: cpu.read() };
}

/**
 * Both sides of a pair in ROUNDS alternating rounds of `seconds` / ROUNDS each; for each side,
 * its writes per second and failures over all its rounds, and the CPU of its last round.
 */
async function compare(
  stack: Stack,
  apiPid: number,
  sides: { one: Write; each: Write },
  window: { warmUp: number; seconds: number },
) {
  const seconds = window.seconds / ROUNDS;
  const totals = {
    one: { done: 0, failed: 0, cpu: '' },
    each: { done: 0, failed: 0, cpu: '' },
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['one', 'each'] as const) : (['each', 'one'] as const);
    for (const side of order) {
      const warmUp = round === 0 ? window.warmUp : REWARM_SECONDS;
      const run = await measure(stack, apiPid, sides[side], { warmUp, seconds });
      totals[side].done += run.perSecond * seconds;
      totals[side].failed += run.failed;
      totals[side].cpu = run.cpu;
    }
  }
  const rate = (side: keyof typeof totals) => ({
    perSecond: totals[side].done / window.seconds,
    failed: totals[side].failed,
    cpu: totals[side].cpu,
  });
  return { one: rate('one'), each: rate('each') };
}

/**
 * One user with 16 concurrent writers against 16 users with one writer each, createTask
 * closed-loop for `seconds` each in alternating rounds: through the API over HTTP, then through
 * the domain's createTask in the benchmark process (16 pooled connections), which leaves out the
 * API process in case that is what limits the first pair. Each pair gives both rates and their ratio (one
 * user / 16 users). The relay and the consumer run meanwhile, as deployed.
 */
export async function benchFairness(
  stack: Stack,
  writer: TaskWriter,
  apiPid: number,
  window: { warmUp: number; seconds: number },
): Promise<BenchResult[]> {
  const solo = `bench-${stack.run}-solo`;
  const many = Array.from({ length: WRITERS }, (_, i) => `bench-${stack.run}-writer-${i}`);
  const soloToken = await stack.token(solo);
  const tokens = await Promise.all(many.map((user) => stack.token(user)));
  const viaApi = (token: (writer: number) => string, label: string): Write => {
    return async (w, n) =>
      !(await writer.create(token(w), { user: w, title: `${label} ${n}`, scheduledAt: wallNow() }))
        .error;
  };
  const knex = createKnex(stack.pg.url, { poolMax: WRITERS });
  const direct = (user: (writer: number) => string, label: string): Write => {
    return (w, n) =>
      createTask({ db: knex, userId: user(w) }, { title: `${label} ${n}` }).then(
        () => true,
        () => false,
      );
  };
  const results: BenchResult[] = [];
  try {
    const pairs = [
      [
        'through the API over HTTP',
        viaApi(() => soloToken, 'fair api'),
        viaApi((w) => tokens[w]!, 'fair api'),
      ],
      [
        'called in the benchmark process (domain createTask), not through the API',
        direct(() => solo, 'fair domain'),
        direct((w) => many[w]!, 'fair domain'),
      ],
    ] as const;
    for (const [how, oneUser, manyUsers] of pairs) {
      const { one, each } = await compare(stack, apiPid, { one: oneUser, each: manyUsers }, window);
      const conditions = (who: string, run: typeof one) =>
        `createTask ${how}, ${who}, each sending its next write when the last is answered, for ${window.seconds} s in ${ROUNDS} rounds alternating with the other side (which goes first alternating too), after ${window.warmUp} s of warm-up (${REWARM_SECONDS} s before each later round); relay and consumer running; ${run.failed} failed; CPU in cores of 2 in the last round: ${run.cpu}`;
      const via = how.startsWith('through') ? 'API' : 'domain';
      results.push(
        {
          name: `pipeline: writes/s (${via}), one user with ${WRITERS} writers`,
          value: Math.round(one.perSecond),
          unit: 'writes/s',
          conditions: conditions(`${WRITERS} concurrent writers of one user`, one),
        },
        {
          name: `pipeline: writes/s (${via}), ${WRITERS} users with one writer each`,
          value: Math.round(each.perSecond),
          unit: 'writes/s',
          conditions: conditions(`${WRITERS} users with one writer each`, each),
        },
        {
          name: `pipeline: writes/s (${via}), one user relative to ${WRITERS} users`,
          value: Math.round((one.perSecond / each.perSecond) * 1000) / 10,
          unit: '%',
          conditions: 'the two figures above; the goal is within 10% (90-110%)',
        },
      );
    }
  } finally {
    await knex.destroy();
  }
  return results;
}
