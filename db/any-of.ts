import type { Knex } from 'knex';

/**
 * Restricts `query` to rows whose `column` is one of `values`, as `column = ANY($n)` with the list
 * as one array parameter: the statement's text is the same for any number of values, so it is
 * prepared once (a `whereIn` list makes a new statement for each length, which would crowd the
 * hot statements out of each connection's cache, see prepared-statements.ts). No values, no rows.
 */
export function whereAnyOf<Q extends Knex.QueryBuilder>(
  query: Q,
  column: string,
  values: readonly string[],
): Q {
  return query.whereRaw('?? = ANY(?)', [column, [...values]]) as Q;
}
