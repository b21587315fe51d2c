import { benchDrain } from './pipeline/drain.ts';
import { benchFailover } from './pipeline/failover.ts';
import { benchFairness } from './pipeline/fairness.ts';
import { benchSteadyLoad } from './pipeline/latency.ts';
import { taskWriter } from './pipeline/load.ts';
import { startStack } from './pipeline/stack.ts';
import { subscribeTaskEvents } from './pipeline/subscribers.ts';
import type { BenchResult } from './stats.ts';

/** Writes per second of the steady load; BENCH_PIPELINE_RATE sets another (e.g. below capacity). */
const RATE = Number(process.env.BENCH_PIPELINE_RATE ?? 500);

const FULL = {
  backlog: 100_000,
  fairness: { warmUp: 5, seconds: 60 },
  load: { rate: RATE, users: 100, warmUp: 10, seconds: 60 },
  failover: { warmUp: 10, seconds: 60, killAfter: 20 },
};
const SMOKE: typeof FULL = {
  backlog: 2_000,
  fairness: { warmUp: 1, seconds: 2 },
  load: { rate: 100, users: 10, warmUp: 1, seconds: 3 },
  failover: { warmUp: 1, seconds: 6, killAfter: 2 },
};

/**
 * The event pipeline with each role in a process of its own, as deployed: the API and relays
 * (`node server/main.ts api|relay`) and a consumer process, on a PostgreSQL cluster of the
 * benchmark's own (commit timestamps on) and a real Kafka broker. In order: backlog drain;
 * one user's 16 writers against 16 users' writers; commit -> broker ack, write -> API response
 * and write -> `taskEvents` subscriber under a steady open-loop load; relay failover under the
 * same load. Prints where the process logs are and the warnings and errors in them.
 */
export async function benchPipeline({ smoke }: { smoke: boolean }): Promise<BenchResult[]> {
  const sizes = smoke ? SMOKE : FULL;
  const stack = await startStack();
  const results: BenchResult[] = [];
  const step = (what: string) => console.log(`pipeline: ${what}`);
  try {
    step(`backlog drain of ${sizes.backlog} events`);
    results.push(...(await benchDrain(stack, sizes.backlog)));
    const { url: graphqlUrl, pid: apiPid } = await stack.startApi();
    const writer = taskWriter(graphqlUrl);
    try {
      step('one user x 16 writers vs 16 users x 1 writer');
      results.push(...(await benchFairness(stack, writer, apiPid, sizes.fairness)));
      const userIds = Array.from({ length: sizes.load.users }, (_, i) => `bench-${stack.run}-${i}`);
      const tokens = await Promise.all(userIds.map((id) => stack.token(id)));
      const subscribers = await subscribeTaskEvents(graphqlUrl, tokens);
      try {
        step(`steady load of ${sizes.load.rate} writes/s`);
        const load = { ...sizes.load, tokens };
        results.push(...(await benchSteadyLoad(stack, writer, apiPid, subscribers, load)));
        step('relay failover under the same load');
        const failover = { ...load, ...sizes.failover };
        results.push(...(await benchFailover(stack, writer, failover, userIds)));
      } finally {
        await subscribers.stop();
      }
    } finally {
      writer.close();
    }
  } finally {
    console.log(await stack.stop());
  }
  return results;
}

if (import.meta.main) {
  for (const result of await benchPipeline({ smoke: Boolean(process.env.BENCH_SMOKE) }))
    console.log(`${result.name}: ${result.value} ${result.unit}\n  ${result.conditions}`);
}
