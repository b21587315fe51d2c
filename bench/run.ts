import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { format } from 'prettier';
import { benchApiQueries } from './api-queries.ts';
import { benchEvents } from './events.ts';
import { benchLive } from './live.ts';
import { benchPeer } from './peer.ts';
import { benchRecurrence } from './recurrence.ts';
import { openBenchDatabase } from './database.ts';
import type { BenchResult } from './stats.ts';

/**
 * `npm run bench`: runs every benchmark and writes bench/results.json and the table in the
 * README. `BENCH_SMOKE=1` runs a small version that only checks the benchmarks still work.
 */
const smoke = Boolean(process.env.BENCH_SMOKE);
const { knex, url } = await openBenchDatabase(smoke);
const results: BenchResult[] = [];
try {
  results.push(...(await benchApiQueries(knex, { smoke })));
  results.push(...(await benchPeer(knex, url, { smoke })));
  results.push(...(await benchEvents(knex, url, { smoke })));
  results.push(...(await benchRecurrence(knex, url, { smoke })));
  results.push(...(await benchLive(url, { smoke })));
} finally {
  await knex.destroy();
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
for (const result of results)
  process.stdout.write(`${result.name}: ${result.value} ${result.unit}\n`);
if (smoke) {
  process.stdout.write('smoke run: results not recorded\n');
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
