import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { prepareStatements } from './prepared-statements.ts';

// Bigint counts and ids arrive as strings by default; every bigint here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** How a pool is opened. */
export interface KnexOptions {
  poolMax?: number;
  /**
   * Run parameterized statements as named prepared statements (see prepared-statements.ts);
   * off behind a pooler that cannot keep them. On by default.
   */
  preparedStatements?: boolean;
}

/** Opens a knex pool on PostgreSQL. */
export function createKnex(
  url: string,
  { poolMax = 10, preparedStatements = true }: KnexOptions = {},
): Knex {
  const knex = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
  if (preparedStatements) prepareStatements(knex);
  return knex;
}
