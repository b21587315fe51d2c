import { pino } from 'pino';
import type { Knex } from 'knex';
import { buildApp } from '../server/app.js';
import { signToken } from '../server/auth/jwt.js';
import { BENCH_USER, WORDS, seedTasks } from './seed-tasks.js';
import { latencyResults, type BenchResult } from './stats.js';

const SEARCH = `query($q: String!) {
  searchTasks(query: $q, first: 20) { totalCount edges { rank highlight node { id title priority dueAt } } }
}`;
const FILTERED = `query($after: String) {
  tasks(filter: { status: PENDING, priorities: [HIGH, URGENT] }, orderBy: { field: DUE_DATE, direction: ASC },
        first: 20, after: $after) {
    totalCount pageInfo { endCursor } edges { node { id title priority dueAt tags { name } category { name } } }
  }
}`;

/**
 * `searchTasks` and a filtered `tasks` page through the real HTTP endpoint, for a user with
 * 100,000 tasks among 1,000,000, one request at a time.
 */
export async function benchApiQueries(
  knex: Knex,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const total = smoke ? 20_000 : 1_000_000;
  const forUser = smoke ? 2_000 : 100_000;
  const samples = smoke ? 20 : 300;
  await seedTasks(knex, total, forUser);
  const secret = 'bench-secret-bench-secret-bench-secret';
  const app = await buildApp({
    knex,
    logger: pino({ level: 'silent' }),
    jwtSecret: secret,
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
  }).start();
  const token = await signToken(secret, BENCH_USER);
  const request = async (query: string, variables: Record<string, unknown>) => {
    const started = performance.now();
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    if (body.errors || !body.data)
      throw new Error(`benchmark query failed: ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, data: body.data as any };
  };
  try {
    const searchTerms = WORDS.flatMap((word) => [word, word.slice(0, 4), `${word} -report`]);
    const search: number[] = [];
    for (let i = 0; i < samples + 20; i++) {
      const { ms } = await request(SEARCH, { q: searchTerms[i % searchTerms.length] });
      if (i >= 20) search.push(ms);
    }
    const filtered: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < samples + 20; i++) {
      const { ms, data } = await request(FILTERED, { after });
      after = i % 5 === 4 ? null : data.tasks.pageInfo.endCursor;
      if (i >= 20) filtered.push(ms);
    }
    const conditions = `${forUser} tasks for the user among ${total}; first: 20 with totalCount; HTTP, 1 client`;
    return [
      ...latencyResults('searchTasks', search, conditions),
      ...latencyResults('tasks (filtered page)', filtered, conditions),
    ];
  } finally {
    await app.stop();
  }
}
