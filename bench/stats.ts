/** Latency percentiles of a set of samples, in milliseconds, to 0.1 ms. */
export function percentiles(samplesMs: number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted.at(-1)!) };
}

/** One figure of the benchmark report. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  conditions: string;
}

/** The figures p50/p95/p99 of one measured operation. */
export function latencyResults(
  name: string,
  samplesMs: number[],
  conditions: string,
): BenchResult[] {
  const stats = percentiles(samplesMs);
  return (['p50', 'p95', 'p99'] as const).map((p) => ({
    name: `${name} ${p}`,
    value: stats[p],
    unit: 'ms',
    conditions: `${conditions}; ${samplesMs.length} samples`,
  }));
}
