import type { Knex } from 'knex';
import { foldTaskCounts } from '../db/task-counts.ts';

const WORDS = [
  'budget',
  'report',
  'quarterly',
  'meeting',
  'invoice',
  'design',
  'review',
  'deploy',
  'release',
  'customer',
  'email',
  'call',
  'dentist',
  'groceries',
  'garden',
  'taxes',
  'insurance',
  'contract',
  'presentation',
  'roadmap',
  'hiring',
  'interview',
  'backup',
  'server',
  'database',
  'migration',
  'newsletter',
  'birthday',
  'flight',
  'hotel',
  'passport',
  'renewal',
  'payment',
  'refund',
  'workshop',
  'training',
  'onboarding',
  'security',
  'audit',
  'feedback',
  'survey',
  'analytics',
  'marketing',
  'campaign',
  'website',
  'blog',
  'podcast',
  'video',
  'photo',
  'library',
];

/** The user whose 100,000 tasks the benchmarks query. */
export const BENCH_USER = 'bench-user';

/**
 * Seeds `total` tasks, `forUser` of them for BENCH_USER and the rest spread over 999 other
 * users, with titles and descriptions drawn from a fixed vocabulary; once per database.
 */
export async function seedTasks(
  knex: Knex,
  total: number,
  forUser: number,
): Promise<{ seeded: boolean }> {
  const existing = await knex('tasks').count({ n: '*' }).first();
  if (Number(existing?.n) >= total && !process.env.BENCH_RESEED) {
    await vacuumAnalyze(knex);
    return { seeded: false };
  }
  await knex.raw('TRUNCATE tasks, categories, tags, task_tags, outbox, processed_events');
  const words = `(ARRAY[${WORDS.map((word) => `'${word}'`).join(',')}])`;
  const batch = 100_000;
  for (let start = 1; start <= total; start += batch) {
    await knex.raw(
      `INSERT INTO tasks (user_id, title, description, priority, due_at, completed, completed_at, created_at)
       SELECT CASE WHEN g <= ? THEN ? ELSE 'other-' || (g % 999) END,
              initcap(${words}[1 + (g * 7) % 50]) || ' ' || ${words}[1 + (g * 13) % 50] || ' #' || g,
              'Notes about the ' || ${words}[1 + (g * 17) % 50] || ' and the ' || ${words}[1 + (g * 29) % 50],
              (ARRAY['low','medium','high','urgent'])[1 + g % 4],
              CASE WHEN g % 3 = 0 THEN NULL ELSE now() + ((g % 2000) - 500) * interval '1 hour' END,
              g % 5 = 0,
              CASE WHEN g % 5 = 0 THEN now() - interval '1 day' END,
              now() - (g % 100000) * interval '1 minute'
       FROM generate_series(?::int, ?::int) AS g`,
      [forUser, BENCH_USER, start, Math.min(start + batch - 1, total)],
    );
  }
  await vacuumAnalyze(knex);
  return { seeded: true };
}

/**
 * Sets the visibility map and the statistics: autovacuum is off on the benchmark machines, and
 * without the visibility map no index-only scan can happen. Quick when nothing changed.
 */
async function vacuumAnalyze(knex: Knex): Promise<void> {
  // The API folds the task count deltas as it runs; the seed's are folded before measuring.
  while ((await foldTaskCounts(knex)) > 0);
  await knex.raw(
    'VACUUM (ANALYZE) tasks, task_tags, tags, categories, task_counts, task_count_deltas',
  );
}

export { WORDS };
