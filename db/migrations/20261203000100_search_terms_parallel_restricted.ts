import type { Knex } from 'knex';

/**
 * task_search_terms may run in the leader only. Every search checks it on each row (the bitmap
 * scan's recheck), so no search is planned with parallel workers: the planner counted that
 * recheck as costly and chose a parallel plan for some words, 95 ms instead of 25 on 2 cores,
 * where the workers only compete with the backends of other requests. Before, each search ran
 * in a transaction to turn workers off (`SET LOCAL`), three round trips more and a statement
 * that could not be prepared. Indexes over the function are built without workers too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER FUNCTION task_search_terms(text, tsvector) PARALLEL RESTRICTED');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER FUNCTION task_search_terms(text, tsvector) PARALLEL SAFE');
}
