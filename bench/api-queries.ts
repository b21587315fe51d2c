import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex.ts';
import { startBenchApi } from './http.ts';
import { BENCH_USER, WORDS, seedTasks } from './seed-tasks.ts';
import { latencyResults, type BenchResult } from './stats.ts';

const SEARCH = `query($q: String!) {
  searchTasks(query: $q, first: 20) { totalCount edges { rank highlight node { id title priority dueAt } } }
}`;
const FILTERED = `query($after: String) {
  tasks(filter: { status: PENDING, priorities: [HIGH, URGENT] }, orderBy: { field: DUE_DATE, direction: ASC },
        first: 20, after: $after) {
    totalCount pageInfo { endCursor } edges { node { id title priority dueAt tags { name } category { name } } }
  }
}`;

/** The kinds of search terms measured apart: each runs through its own list of terms. */
const TERM_KINDS = {
  'whole words': WORDS,
  'short prefixes': WORDS.map((word) => word.slice(0, 4)),
  'negated terms': WORDS.map((word) => `${word} -${word === 'report' ? 'budget' : 'report'}`),
} as const;
type TermKind = keyof typeof TERM_KINDS;

type Request = Awaited<ReturnType<typeof startBenchApi>>['request'];

/** The SQL statements the API runs while `work` runs, with their bindings. */
async function statementsOf(knex: Knex, work: () => Promise<unknown>) {
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  const listener = (query: { sql: string; bindings?: readonly unknown[] }) =>
    seen.push({ sql: query.sql, bindings: query.bindings ?? [] });
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.off('query', listener);
  }
  return seen;
}

/**
 * Writes bench/plans/<name>-<n>.txt: EXPLAIN (ANALYZE, BUFFERS) of each statement one request
 * runs, on the benchmark data, after the measured run (so with the cache as the run left it).
 */
async function savePlans(
  knex: Knex,
  plans: URL,
  name: string,
  variables: Record<string, unknown>,
  run: () => Promise<unknown>,
): Promise<void> {
  const seen = await statementsOf(knex, run);
  const statements = seen.filter(({ sql }) =>
    /^\s*(select|with|insert|update|delete)\b/i.test(sql),
  );
  for (const [i, { sql, bindings }] of statements.entries()) {
    // The statements are in pg's numbered form ($1), which knex.raw would not bind. Prepared on
    // a connection of the API's pool and executed with the bindings written in, it is planned
    // as the API's statement is (a generic plan: GENERIC_PLANS in db/knex.ts).
    const connection = await knex.client.acquireConnection();
    const execute = knex
      .raw(`EXECUTE bench_plan(${bindings.map(() => '?').join(', ')})`, [
        ...bindings,
      ] as Knex.RawBinding[])
      .toQuery()
      .replace(/\(\)$/, '');
    const { rows } = await (async () => {
      await connection.query('BEGIN');
      await connection.query(`PREPARE bench_plan AS ${sql}`);
      return connection.query(`EXPLAIN (ANALYZE, BUFFERS) ${execute}`);
    })().finally(async () => {
      await connection.query('ROLLBACK');
      await connection.query('DEALLOCATE bench_plan');
      knex.client.releaseConnection(connection);
    });
    const plan = rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    const header = `-- ${name}, statement ${i + 1} of ${statements.length}; variables ${JSON.stringify(variables)}\n-- bindings ${JSON.stringify(bindings)}`;
    await writeFile(new URL(`${name}-${i + 1}.txt`, plans), `${header}\n${sql}\n\n${plan}\n`);
  }
}

async function measureSearch(request: Request, terms: readonly string[], samples: number) {
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const { ms } = await request(SEARCH, { q: terms[i % terms.length] });
    if (i >= 20) times.push(ms);
  }
  return times;
}

/**
 * `searchTasks` (whole words, short prefixes and negated terms, each measured apart and all
 * together) and a filtered `tasks` page through the real HTTP endpoint, for a user with 100,000
 * tasks among 1,000,000, one request at a time. Outside smoke mode it saves the plan of every
 * statement of one request of each kind in bench/plans/.
 */
export async function benchApiQueries(
  seeding: Knex,
  databaseUrl: string,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const total = smoke ? 20_000 : 1_000_000;
  const forUser = smoke ? 2_000 : 100_000;
  const samples = smoke ? 20 : 300;
  await seedTasks(seeding, total, forUser);
  // A pool of its own, as the API role's (db/database.ts): generic plans.
  const knex = createKnex(databaseUrl, { poolMax: 10, genericPlans: true });
  const api = await startBenchApi(knex, BENCH_USER);
  const request = api.request;
  try {
    const search = {} as Record<TermKind, number[]>;
    for (const kind of Object.keys(TERM_KINDS) as TermKind[])
      search[kind] = await measureSearch(request, TERM_KINDS[kind], samples);
    const filtered: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < samples + 20; i++) {
      const { ms, data } = await request(FILTERED, { after });
      after = i % 5 === 4 ? null : data.tasks.pageInfo.endCursor;
      if (i >= 20) filtered.push(ms);
    }
    if (!smoke) {
      const plans = new URL('./plans/', import.meta.url);
      await mkdir(plans, { recursive: true });
      for (const file of await readdir(plans))
        if (file.endsWith('.txt')) await rm(new URL(file, plans));
      const examples: [string, string][] = [
        ['search-whole-word', 'report'],
        ['search-short-prefix', 'repo'],
        ['search-negated', 'report -budget'],
      ];
      for (const [name, q] of examples)
        await savePlans(knex, plans, name, { q }, () => request(SEARCH, { q }));
      const first = await request(FILTERED, { after: null });
      const next = { after: first.data.tasks.pageInfo.endCursor };
      await savePlans(knex, plans, 'tasks-filtered-first', { after: null }, () =>
        request(FILTERED, { after: null }),
      );
      await savePlans(knex, plans, 'tasks-filtered-next', next, () => request(FILTERED, next));
    }
    const conditions = `${forUser} tasks for the user among ${total}; first: 20 with totalCount; HTTP, 1 client; VACUUM (ANALYZE) after seeding; plans in bench/plans/`;
    const termList = (kind: TermKind) =>
      `${kind}: ${TERM_KINDS[kind]
        .slice(0, 3)
        .map((term) => `"${term}"`)
        .join(', ')}, … (${TERM_KINDS[kind].length} terms in turn)`;
    return [
      ...latencyResults(
        'searchTasks',
        Object.values(search).flat(),
        `${conditions}; the three kinds of terms below together`,
      ),
      ...(Object.keys(TERM_KINDS) as TermKind[]).flatMap((kind) =>
        latencyResults(`searchTasks (${kind})`, search[kind], `${conditions}; ${termList(kind)}`),
      ),
      ...latencyResults(
        'tasks (filtered page)',
        filtered,
        `${conditions}; pending HIGH or URGENT by due date, 5 pages deep then from the start`,
      ),
    ];
  } finally {
    await api.stop();
    await knex.destroy();
  }
}
