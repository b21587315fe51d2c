/**
 * A seeded, reproducible PRNG for the MCP and consumer fuzzers (mulberry32), and the seed and
 * size every fuzz spec reads from the environment: FUZZ_SEED (default: a fixed seed, so npm test
 * is reproducible) and FUZZ_RUNS (default: the smoke size given by the spec).
 */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
  /** A string of `length` code units drawn from nasty and ordinary characters. */
  string(length: number): string {
    const pieces = [
      'a',
      'Z',
      '0',
      ' ',
      '\u0000',
      '\n',
      '\t',
      '"',
      "'",
      '\\',
      '{',
      '}',
      '<',
      '>',
      '%',
      '$',
      'é',
      'ß',
      '中',
      '\u202e',
      '\u200b',
      '\ufeff',
      '\ud800',
      '\udfff',
      '😀',
      '\u0301',
      '\x7f',
    ];
    let out = '';
    while (out.length < length) out += this.pick(pieces);
    return out.slice(0, length);
  }
}

/** The seed of a fuzz run: FUZZ_SEED, or `fallback` (fixed, for the smoke run in npm test). */
export function fuzzSeed(fallback: number): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return fallback;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
  return seed;
}

/** How many cases to run: FUZZ_RUNS, or `smoke`. */
export function fuzzRuns(smoke: number): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return smoke;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be >= 1, got ${raw}`);
  return runs;
}

/** Whether the run is a long one (FUZZ_RUNS set): jest timeouts scale with it. */
export const isLongRun = () => Boolean(process.env.FUZZ_RUNS);
