import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** utime, stime, cutime, cstime and the parent of a process, from /proc/<pid>/stat. */
function stat(pid: number) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i]);
    return { own: n(11) + n(12), children: n(13) + n(14), parent: n(1) };
  } catch {
    return undefined;
  }
}

/** CPU ticks a process and all its children (living and reaped) used so far. */
function treeTicks(pid: number, parents: Map<number, number[]> | undefined): number {
  const self = stat(pid);
  if (!self) return 0;
  if (!parents) return self.own;
  const children = (parents.get(pid) ?? []).reduce(
    (sum, child) => sum + treeTicks(child, parents),
    0,
  );
  return self.own + self.children + children;
}

function processTree(): Map<number, number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    const parent = Number.isInteger(pid) ? stat(pid)?.parent : undefined;
    if (parent !== undefined) parents.set(parent, [...(parents.get(parent) ?? []), pid]);
  }
  return parents;
}

/** Busy and total ticks of the whole machine, from /proc/stat. */
function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = values.map(Number);
  const idle = ticks[3]! + (ticks[4] ?? 0);
  return { busy: ticks.reduce((a, b) => a + b, 0) - idle };
}

/** A process to measure, with its children (e.g. PostgreSQL's backends) or without. */
export interface Metered {
  pid: number;
  withChildren?: boolean;
}

/**
 * Measures how many cores each named process and the whole machine kept busy between now and
 * `stop()`. Linux only; reads /proc.
 */
export function cpuMeter(pids: Record<string, Metered>) {
  const ticksOf = () => {
    const parents = processTree();
    return Object.fromEntries(
      Object.entries(pids).map(([name, { pid, withChildren }]) => [
        name,
        treeTicks(pid, withChildren ? parents : undefined),
      ]),
    );
  };
  const started = { at: performance.now(), ticks: ticksOf(), machine: machineTicks().busy };
  return {
    /**
     * Cores used on average, e.g. `api 0.92, postgres 0.41, other 0.10, machine 1.87`; other is
     * the machine's busy time that none of the named processes used.
     */
    stop(): string {
      const seconds = (performance.now() - started.at) / 1000;
      const cores = (ticks: number) => (ticks / TICKS_PER_SECOND / seconds).toFixed(2);
      const ticks = ticksOf();
      const used = Object.keys(pids).map((name) => [name, ticks[name]! - started.ticks[name]!]);
      const machine = machineTicks().busy - started.machine;
      const named = used.reduce((sum, [, t]) => sum + Number(t), 0);
      return [
        ...used.map(([name, t]) => `${name} ${cores(Number(t))}`),
        `other ${cores(machine - named)}`,
        `machine ${cores(machine)}`,
      ].join(', ');
    },
  };
}

/**
 * The CPU use of `pids()` over a window that opens in `startInMs` and lasts `lengthMs`: `read()`
 * gives the figures (as `cpuMeter().stop()` does), closing the window early if it is still open.
 */
export function cpuWindow(
  pids: () => Record<string, Metered>,
  startInMs: number,
  lengthMs: number,
) {
  let meter: ReturnType<typeof cpuMeter> | undefined;
  let figures = '';
  const close = () => {
    if (meter && !figures) figures = meter.stop();
  };
  const opening = setTimeout(() => {
    meter = cpuMeter(pids());
    setTimeout(close, lengthMs).unref();
  }, startInMs);
  opening.unref();
  return {
    read(): string {
      clearTimeout(opening);
      close();
      return figures || 'not measured';
    },
  };
}
