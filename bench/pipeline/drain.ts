import type { BenchResult } from '../stats.ts';
import { writeBacklog } from './backlog.ts';
import { cpuMeter } from './cpu.ts';
import { meteredProcesses, type Stack } from './stack.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Proves outbox -> relay -> Kafka -> consumer works end to end (and that the consumer group has
 * its partitions): commits one event every 500 ms until the consumer handled one.
 */
export async function probeChain(stack: Stack): Promise<void> {
  const handled = new Set<string>();
  const deadline = Date.now() + 60_000;
  for (let i = 0; ; i++) {
    const [id] = await writeBacklog(stack.knex, 1, [`bench-${stack.run}-probe`], `probe ${i}`);
    handled.add(id!);
    await sleep(500);
    if ([...handled].some((probe) => stack.consumer.events.get(probe)?.handledAt)) return;
    if (Date.now() > deadline) throw new Error('no probe event reached the consumer in 60 s');
  }
}

/**
 * Backlog drain: with no relay running, `events` task.created events are committed to the
 * outbox; then a relay process starts, and the time runs from the broker's first append of the
 * backlog to the consumer's handling of the last of it (the relay process's start-up is not
 * counted). Leaves that relay running.
 */
export async function benchDrain(stack: Stack, events: number): Promise<BenchResult[]> {
  const warmRelay = await stack.startRelay();
  await probeChain(stack);
  await warmRelay.stop();
  const users = Array.from({ length: 100 }, (_, i) => `bench-${stack.run}-drain-${i}`);
  const writing = performance.now();
  const ids = await writeBacklog(stack.knex, events, users, 'backlog');
  const writeSeconds = (performance.now() - writing) / 1000;
  await stack.startRelay();
  const meter = cpuMeter(meteredProcesses(stack));
  const traces = () => ids.map((id) => stack.consumer.events.get(id));
  await stack.consumer.waitFor(
    () => ids.every((id) => stack.consumer.events.get(id)?.handledAt),
    60_000,
    `the consumer to handle ${events} backlog events`,
  );
  const cpu = meter.stop();
  const appended = traces().flatMap((trace) => [...trace!.copies.values()]);
  const firstAppend = appended.reduce((a, b) => Math.min(a, b));
  const lastAppend = appended.reduce((a, b) => Math.max(a, b));
  const lastHandled = traces().reduce((last, trace) => Math.max(last, trace!.handledAt!), 0);
  const perSecond = (ms: number) => Math.round(events / (ms / 1000));
  const conditions = `a backlog of ${events} task.created events of 100 users committed to the outbox (${perSecond(writeSeconds * 1000)} events/s through appendToOutbox, 1,000 per transaction) while no relay ran, then one relay process started; PostgreSQL (fsync on), the Kafka broker, the relay and the consumer process (runConsumer: inbox, one transaction per batch) on one 2-core machine; timed from the broker's first append of the backlog; CPU in cores of 2 from the relay's start: ${cpu}`;
  return [
    {
      name: 'pipeline: backlog drain, outbox to consumer handler',
      value: perSecond(lastHandled - firstAppend),
      unit: 'events/s',
      conditions: `${conditions} to the consumer's commit of the last event`,
    },
    {
      name: 'pipeline: backlog drain, outbox to broker',
      value: perSecond(lastAppend - firstAppend),
      unit: 'events/s',
      conditions: `${conditions} to the broker's last append`,
    },
  ];
}
