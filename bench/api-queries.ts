import type { Knex } from 'knex';
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
  const api = await startBenchApi(knex, BENCH_USER);
  const request = api.request;
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
    await api.stop();
  }
}
