import type { BenchResult } from '../stats.ts';
import { commitTimes, committedTasks } from './commit-times.ts';
import { appendedAt, awaitDelivery, type SteadyLoad } from './latency.ts';
import { failures, openLoop, wallNow, type TaskWriter } from './load.ts';
import { publishingRelay } from './publishing-relay.ts';
import type { RoleProcess, Stack } from './stack.ts';

/** The longest pause between consecutive times in [from, to], and where it began. */
function longestPause(times: number[], from: number, to: number) {
  const sorted = times.filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let pause = { ms: 0, at: from };
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]! - sorted[i - 1]! > pause.ms)
      pause = { ms: sorted[i]! - sorted[i - 1]!, at: sorted[i - 1]! };
  return pause;
}

/** When a relay last logged that it took the publishing turn (0 if it never did). */
const turnTakenAt = (relay: RoleProcess) =>
  Math.max(
    0,
    ...[...relay.output().matchAll(/"time":(\d+).*"msg":"took the publishing turn"/g)].map(
      (match) => Number(match[1]),
    ),
  );

/**
 * SIGKILLs the relay that holds the publishing turn: the one seen holding an advisory lock, else
 * the one whose log last says it took the turn, else the first started. Says which and how.
 */
async function killPublishingRelay(stack: Stack): Promise<{ at: number; how: string }> {
  const alive = stack.relays.filter((relay) => relay.child.exitCode === null);
  const pid = await publishingRelay(
    stack.knex,
    alive.map((relay) => relay.child.pid!),
    3_000,
  );
  const byLog = [...alive].sort((a, b) => turnTakenAt(b) - turnTakenAt(a))[0]!;
  const victim = alive.find((relay) => relay.child.pid === pid) ?? byLog;
  const at = wallNow();
  victim.child.kill('SIGKILL');
  const how =
    pid !== undefined
      ? 'seen holding the publishing lock'
      : turnTakenAt(victim) > 0
        ? 'the last to log "took the publishing turn"'
        : 'the first started';
  return { at, how: `${victim.name} (${how})` };
}

/**
 * Relay failover under the steady load: a standby relay process joins the running one; after
 * `killAfter` seconds of the measured window, the relay holding the publishing turn is
 * SIGKILLed. Reports the time from the kill to the broker's first append of an event committed
 * after it, the longest pause in the broker's appends around the kill, the writes committed in
 * the phase whose event never reached the consumer, and the extra copies in the log,
 * redeliveries and repeated handler runs of their events.
 */
export async function benchFailover(
  stack: Stack,
  writer: TaskWriter,
  load: SteadyLoad & { killAfter: number },
  userIds: string[],
): Promise<BenchResult[]> {
  await stack.startRelay();
  let kill: Promise<{ at: number; how: string }> | undefined;
  let windowStart = 0;
  const writes = await openLoop(
    writer,
    {
      tokens: load.tokens,
      rate: load.rate,
      seconds: load.warmUp + load.seconds,
      label: 'failover',
    },
    (startedAt) => {
      windowStart = startedAt + load.warmUp * 1000;
      const delay = windowStart + load.killAfter * 1000 - wallNow();
      setTimeout(() => (kill = killPublishingRelay(stack)), delay);
    },
  );
  const killed = await kill!;
  const taskIds = await committedTasks(stack.knex, userIds, 'failover ');
  const lost = await awaitDelivery(stack, taskIds);
  const traces = taskIds.flatMap((id) => {
    const trace = stack.consumer.events.get(stack.consumer.eventOfTask.get(id) ?? '');
    return trace ? [trace] : [];
  });
  const copies = traces.flatMap((trace) => [...trace.copies.values()]);
  const extraCopies = traces.reduce((sum, trace) => sum + trace.copies.size - 1, 0);
  const redeliveries = traces.reduce((sum, trace) => sum + trace.deliveries - trace.copies.size, 0);
  const rehandled = traces.reduce((sum, trace) => sum + trace.handledTimes - 1, 0);
  const committed = await commitTimes(stack.knex, taskIds);
  const resumedAt = taskIds
    .filter((id) => committed.get(id)! > killed.at)
    .reduce((first, id) => Math.min(first, appendedAt(stack, id) ?? Infinity), Infinity);
  const pause = longestPause(copies, killed.at - 1_000, killed.at + 30_000);
  const before = longestPause(copies, windowStart, killed.at - 1_000);
  const setting = `${load.rate} createTask/s through the API over ${load.tokens.length} users, two relay processes; SIGKILL of ${killed.how} ${load.killAfter} s into a ${load.seconds} s window after ${load.warmUp} s of warm-up; ${taskIds.length} writes committed in the phase (writes: ${failures(writes)})`;
  return [
    {
      name: 'pipeline: relay failover, kill to events flowing again',
      value: Math.round(resumedAt - killed.at),
      unit: 'ms',
      conditions: `${setting}; from the kill to the broker's first append of an event committed after it`,
    },
    {
      name: 'pipeline: relay failover, longest pause in broker appends',
      value: Math.round(pause.ms),
      unit: 'ms',
      conditions: `${setting}; the pause began ${Math.round(pause.at - killed.at)} ms after the kill; the longest pause in the window before the kill was ${Math.round(before.ms)} ms`,
    },
    {
      name: 'pipeline: relay failover, events lost',
      value: lost.length,
      unit: 'events',
      conditions: `${setting}; committed writes whose event the consumer had not handled once it had handled nothing new for 30 s`,
    },
    {
      name: 'pipeline: relay failover, duplicate messages in Kafka',
      value: extraCopies,
      unit: 'messages',
      conditions: `${setting}; extra copies of an event in the topic (published again by the relay that took over)`,
    },
    {
      name: 'pipeline: relay failover, duplicate deliveries to the consumer',
      value: extraCopies + redeliveries,
      unit: 'deliveries',
      conditions: `${setting}; deliveries beyond the first of each event (${extraCopies} copies, ${redeliveries} redeliveries of a copy); the consumer's handler ran ${rehandled} times more than once (its inbox keeps it exactly-once)`,
    },
  ];
}
