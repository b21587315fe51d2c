import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// Bigint counts and ids arrive as strings by default; every bigint here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Opens a knex pool on PostgreSQL. */
export function createKnex(url: string, { poolMax = 10 }: { poolMax?: number } = {}): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}
