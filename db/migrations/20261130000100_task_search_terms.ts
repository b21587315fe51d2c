import type { Knex } from 'knex';

/**
 * Faster search and counts for a user with many tasks among many users.
 *
 * Search: the GIN index on `(user_id, search_vector)` expanded a prefix (`budg:*`) over every
 * user's words and intersected the result with all of the user's tasks. It is replaced by a GIN
 * index over the user's own terms: every lexeme of the search vector prefixed with a key of the
 * user (12 hex digits of md5(user_id)), plus the key alone. A prefix then expands over the
 * caller's words only and a word reads the caller's postings only; a query that no entry can
 * answer (negated words only) is joined with the key, so it still reads one user's entries. The
 * terms keep their positions and weights, so a query matches them exactly as it matches the
 * search vector (phrases included); the query still checks user_id on each row, for two users
 * sharing a key. A lexeme longer than 2035 bytes (2047 less the key) is left out of the terms,
 * so such a word cannot be searched for (a search query, at most 500 characters, has none). The
 * functions call nothing outside pg_catalog: PostgreSQL 17 (PGlite) runs the index expressions
 * of CREATE INDEX and ANALYZE with that search_path only.
 *
 * Counts: `(user_id, completed, priority, due_at)` lets a filtered list's total be counted
 * from the index alone (an index-only scan once the visibility map is set).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION task_search_terms(user_id text, vector tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$
        SELECT (coalesce(string_agg(
          '''' || replace(replace(left(md5(user_id), 12) || lexeme, '\\', '\\\\'), '''', '''''') ||
            '''' || coalesce(':' || (
              SELECT string_agg(p || w, ',') FROM unnest(positions, weights) AS x(p, w)
            ), ''),
          ' '), '') || ' ' || quote_literal(left(md5(user_id), 12)))::tsvector
        FROM unnest(vector) WHERE octet_length(lexeme) <= 2035
      $$;

    CREATE FUNCTION task_search_query(user_id text, query tsquery) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$
        SELECT CASE WHEN numnode(query) = 0 THEN query ELSE (
          CASE WHEN querytree(query) = 'T' THEN quote_literal(left(md5(user_id), 12)) || ' & '
               ELSE '' END ||
          '(' || regexp_replace(query::text, '''(([^'']|'''')+)''',
                                '''' || left(md5(user_id), 12) || '\\1''', 'g') || ')'
        )::tsquery END
      $$;

    CREATE INDEX tasks_search_terms_idx ON tasks
      USING gin (task_search_terms(user_id, search_vector));
    DROP INDEX tasks_user_search_idx;

    CREATE INDEX tasks_user_status_priority_due_idx ON tasks
      (user_id, completed, priority, due_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX tasks_user_status_priority_due_idx;
    CREATE INDEX tasks_user_search_idx ON tasks USING gin (user_id, search_vector);
    DROP INDEX tasks_search_terms_idx;
    DROP FUNCTION task_search_query(text, tsquery);
    DROP FUNCTION task_search_terms(text, tsvector);
  `);
}
