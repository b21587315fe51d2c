import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { prepareStatements } from './prepared-statements.ts';
import { parseTimestamptz } from './timestamptz.ts';

// Bigint counts and ids arrive as strings by default; every bigint here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);

/** How a pool is opened. */
export interface KnexOptions {
  poolMax?: number;
  /**
   * Run parameterized statements as named prepared statements (see prepared-statements.ts);
   * off behind a pooler that cannot keep them. On by default.
   */
  preparedStatements?: boolean;
  /**
   * With prepared statements, plan each one once for all parameters (`plan_cache_mode =
   * force_generic_plan` on every connection), for a pool whose statements are all scoped to one
   * user by an index: see {@link GENERIC_PLANS}. Off by default.
   */
  genericPlans?: boolean;
}

/**
 * Why a pool may plan its statements once. PostgreSQL's own choice (`auto`) plans a named
 * statement for its parameters five times, then keeps the generic plan only if it looks no dearer
 * than those custom plans did. After a user with many tasks, a task page's custom plans look
 * cheaper (the LIMIT stops early in a long index range), so the connection goes on planning the
 * statement on every execution for every user, for the rest of its life: measured on a
 * 100-task user's page, PostgreSQL's CPU per request 280 µs against 130 µs with generic plans.
 * The generic plan of a user-scoped statement is the custom one without the constants; a
 * statement whose parameters feed functions computes them once in a subquery (see the search
 * in task-query.ts). Not behind a transaction-mode pooler: the setting belongs to a session.
 */
export const GENERIC_PLANS = 'SET plan_cache_mode = force_generic_plan';

/** Opens a knex pool on PostgreSQL. */
export function createKnex(
  url: string,
  { poolMax = 10, preparedStatements = true, genericPlans = false }: KnexOptions = {},
): Knex {
  const knex = knexFactory({
    client: 'pg',
    connection: url,
    pool: {
      min: 0,
      max: poolMax,
      ...(preparedStatements && genericPlans
        ? {
            afterCreate: (
              connection: pg.Client,
              done: (error: Error | undefined, connection: pg.Client) => void,
            ) =>
              void connection.query(GENERIC_PLANS).then(
                () => done(undefined, connection),
                (error: Error) => done(error, connection),
              ),
          }
        : {}),
    },
    acquireConnectionTimeout: 10_000,
  });
  if (preparedStatements) prepareStatements(knex);
  return knex;
}
