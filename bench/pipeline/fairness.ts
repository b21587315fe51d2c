import { createKnex } from '../../db/knex.ts';
import { createTask } from '../../domain/task-commands.ts';
import type { BenchResult } from '../stats.ts';
import { cpuWindow } from './cpu.ts';
import { closedLoop, wallNow, type TaskWriter } from './load.ts';
import { meteredProcesses, type Stack } from './stack.ts';

const WRITERS = 16;

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
 * One user with 16 concurrent writers against 16 users with one writer each, createTask
 * closed-loop for `warmUp` + `seconds` each: through the API over HTTP, then through the domain's
 * createTask in the benchmark process (16 pooled connections), which leaves out the API process
 * in case that is what limits the first pair. Each pair gives both rates and their ratio (one
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
      const one = await measure(stack, apiPid, oneUser, window);
      const each = await measure(stack, apiPid, manyUsers, window);
      const conditions = (who: string, run: typeof one) =>
        `createTask ${how}, ${who}, each sending its next write when the last is answered, for ${window.seconds} s after ${window.warmUp} s of warm-up; relay and consumer running; ${run.failed} failed; CPU in cores of 2: ${run.cpu}`;
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
