import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { format } from 'prettier';
import { benchApiQueries } from './api-queries.ts';
import { benchLive } from './live.ts';
import { benchPeer } from './peer.ts';
import { benchPipeline } from './pipeline.ts';
import { benchRecurrence } from './recurrence.ts';
import { openBenchDatabase } from './database.ts';
import type { BenchResult } from './stats.ts';

/**
 * `npm run bench`: runs every benchmark and writes bench/results.json and the table in the
 * README. `BENCH_SMOKE=1` runs a small version that only checks the benchmarks still work.
 * `BENCH_ONLY=pipeline` (a comma-separated list of parts) runs only those parts and records
 * nothing, since the table would lack the others.
 */
const PARTS = ['api-queries', 'peer', 'pipeline', 'recurrence', 'live'] as const;
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
  'api-queries': async () => benchApiQueries((await db()).knex, { smoke }),
  peer: async () => benchPeer((await db()).knex, (await db()).url, { smoke }),
  pipeline: () => benchPipeline({ smoke }),
  recurrence: async () => benchRecurrence((await db()).knex, (await db()).url, { smoke }),
  live: async () => benchLive((await db()).url, { smoke }),
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
if (smoke || only) {
  process.stdout.write(`${smoke ? 'smoke' : 'partial'} run: results not recorded\n`);
} else {
  const report = { machine, ranAt: new Date().toISOString(), results };
  await writeFile(
    new URL('./results.json', import.meta.url),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  const table = [
    `Measured on ${machine}, ${report.ranAt.slice(0, 10)}, with \`npm run bench\`.`,
    '',
    '| benchmark | value | conditions |',
    '| --- | --- | --- |',
    ...results.map((r) => `| ${r.name} | ${r.value} ${r.unit} | ${r.conditions} |`),
  ].join('\n');
  const readmeUrl = new URL('../README.md', import.meta.url);
  const readme = await readFile(readmeUrl, 'utf8');
  const updated = readme.replace(
    /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
    `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
  );
  await writeFile(readmeUrl, await format(updated, { parser: 'markdown', printWidth: 100 }));
}
