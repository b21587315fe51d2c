import type { StackRole } from '../stack.ts';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One disruption: kill a role with SIGKILL, or stop Kafka or PostgreSQL, then bring it back. */
export interface ChaosAction {
  /** Milliseconds after the start of the load. */
  atMs: number;
  target: StackRole | 'kafka' | 'postgres';
  /** How long it stays down before it is started again. */
  downMs: number;
}

const ROLES: StackRole[] = ['api', 'relay', 'notification', 'recurrence'];

/**
 * The disruptions of a run of `seconds`, from `seed` (reproducible): Kafka stopped once in the
 * first half and PostgreSQL once in the second (apart, so each outage's errors are its own), and
 * about one SIGKILL every 12 s, every role at least once, at random moments of the whole run but
 * its last tenth (so the run ends with everything up). Sorted by time.
 */
export function chaosSchedule(seed: number, seconds: number): ChaosAction[] {
  const random = seededRandom(seed);
  const runMs = seconds * 1_000;
  const between = (low: number, high: number) => low + random() * (high - low);
  const kills = Math.max(ROLES.length, Math.round(seconds / 12));
  const targets = [...ROLES];
  while (targets.length < kills) targets.push(ROLES[Math.floor(random() * ROLES.length)]!);
  const actions: ChaosAction[] = [
    { atMs: between(0.15, 0.35) * runMs, target: 'kafka', downMs: between(3_000, 8_000) },
    { atMs: between(0.55, 0.75) * runMs, target: 'postgres', downMs: between(3_000, 6_000) },
    ...targets.map((target) => ({
      atMs: between(0.05, 0.9) * runMs,
      target,
      downMs: between(200, 4_000),
    })),
  ];
  return actions
    .map((action) => ({
      ...action,
      atMs: Math.round(action.atMs),
      downMs: Math.round(action.downMs),
    }))
    .sort((a, b) => a.atMs - b.atMs);
}
