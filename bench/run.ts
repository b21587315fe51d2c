import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { format, resolveConfig } from 'prettier';
import { benchApiQueries } from './api-queries.ts';
import { benchDashboard } from './dashboard.ts';
import { benchDelivery } from './delivery.ts';
import { benchLive } from './live.ts';
import { benchPeer } from './peer.ts';
import { benchPipeline } from './pipeline.ts';
import { benchRecurrence } from './recurrence.ts';
import { openBenchDatabase } from './database.ts';
import type { BenchResult } from './stats.ts';

/**
 * `npm run bench`: runs every benchmark and writes bench/results.json and the table in the
 * README. `BENCH_SMOKE=1` runs a small version that only checks the benchmarks still work.
 * `BENCH_ONLY=pipeline` (a comma-separated list of parts) runs only those parts and replaces
 * only their rows; each row keeps the date and machine it was measured on.
 */
const PARTS = [
  'api-queries',
  'peer',
  'pipeline',
  'recurrence',
  'live',
  'delivery',
  'dashboard',
] as const;
type Part = (typeof PARTS)[number];
const smoke = Boolean(process.env.BENCH_SMOKE);
const only = process.env.BENCH_ONLY?.split(',')
  .map((part) => part.trim())
  .filter(Boolean);
const unknown = only?.filter((part) => !(PARTS as readonly string[]).includes(part)) ?? [];
if (unknown.length > 0)
  throw new Error(`BENCH_ONLY names unknown parts (${unknown}); the parts: ${PARTS.join(', ')}`);

let database: Awaited<ReturnType<typeof openBenchDatabase>> | undefined;
const db = async () => (database ??= await openBenchDatabase(smoke));
const parts: Record<Part, () => Promise<BenchResult[]>> = {
  'api-queries': async () => benchApiQueries((await db()).knex, (await db()).url, { smoke }),
  peer: async () => benchPeer((await db()).knex, (await db()).url, { smoke }),
  pipeline: () => benchPipeline({ smoke }),
  recurrence: async () => benchRecurrence((await db()).knex, (await db()).url, { smoke }),
  live: async () => benchLive((await db()).url, { smoke }),
  delivery: () => benchDelivery({ smoke }),
  dashboard: () => benchDashboard(),
};
const results: BenchResult[] = [];
try {
  for (const part of PARTS)
    if (!only || only.includes(part)) results.push(...(await parts[part]()));
} finally {
  await database?.knex.destroy();
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
for (const result of results)
  process.stdout.write(`${result.name}: ${result.value} ${result.unit}\n`);
/** A recorded figure, with when and where it was measured. */
type Recorded = BenchResult & { ranAt: string; machine: string };
/** Rows of earlier runs that a part of this run measures again, or that no part measures now. */
const replaced = (name: string) =>
  name.startsWith('events:') ||
  results.some((r) => r.name === name || r.name.split(':')[0] === name.split(':')[0]);

if (smoke) {
  process.stdout.write('smoke run: results not recorded\n');
} else {
  const ranAt = new Date().toISOString();
  const resultsUrl = new URL('./results.json', import.meta.url);
  const earlier = JSON.parse(await readFile(resultsUrl, 'utf8')) as {
    machine: string;
    ranAt: string;
    results: Array<BenchResult & Partial<Recorded>>;
  };
  const kept: Recorded[] = only
    ? earlier.results
        .filter((r) => !replaced(r.name))
        .map((r) => ({
          ...r,
          ranAt: r.ranAt ?? earlier.ranAt,
          machine: r.machine ?? earlier.machine,
        }))
    : [];
  const recorded: Recorded[] = [...kept, ...results.map((r) => ({ ...r, ranAt, machine }))];
  await writeFile(
    resultsUrl,
    `${JSON.stringify({ machine, ranAt, results: recorded }, null, 2)}\n`,
  );
  const machines = [...new Set(recorded.map((r) => r.machine))];
  const table = [
    `Measured with \`npm run bench\` on ${machines.map((m, i) => `(${i + 1}) ${m}`).join('; ')}.`,
    '',
    '| benchmark | value | conditions | measured |',
    '| --- | --- | --- | --- |',
    ...recorded.map(
      (r) =>
        `| ${r.name} | ${r.value} ${r.unit} | ${r.conditions} | ${r.ranAt.slice(0, 10)} (${machines.indexOf(r.machine) + 1}) |`,
    ),
  ].join('\n');
  const readmeUrl = new URL('../README.md', import.meta.url);
  const readme = await readFile(readmeUrl, 'utf8');
  const updated = readme.replace(
    /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
    `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
  );
  // The project's own Prettier settings, so that `prettier --check` agrees with what is written.
  const style = await resolveConfig(readmeUrl);
  await writeFile(readmeUrl, await format(updated, { ...style, parser: 'markdown' }));
}
