import type { Knex } from 'knex';

/**
 * A piece of SQL with `?` placeholders, as `knex.raw` takes it, and the values they stand for,
 * in order. Hot statements are composed from such pieces rather than with the query builder,
 * whose compilation cost more than the rest of a small request's database work.
 */
export interface SqlText {
  sql: string;
  bindings: Knex.RawBinding[];
}
