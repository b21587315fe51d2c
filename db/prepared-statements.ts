import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type pg from 'pg';

/** How many named statements one connection keeps; the least recently used is deallocated. */
export const STATEMENTS_PER_CONNECTION = 100;

/** What knex hands its PostgreSQL client for one query. */
interface CompiledQuery {
  sql: string;
  bindings?: unknown[];
  options?: { name?: string; prepare?: boolean };
}

/** node-postgres's record of the statements a connection has parsed (not part of its API). */
interface ParsedStatements {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

type RunQuery = (connection: pg.Client, query: CompiledQuery) => Promise<unknown>;

const namesOf = new WeakMap<pg.Client, Map<string, string>>();

/** Names of recent texts, so a statement run again is not hashed again. */
const recentNames = new Map<string, string>();
const RECENT_NAMES = 1_000;

/** `p_` and the SHA-1 of the text: the same text gets the same name on every connection. */
function statementName(sql: string): string {
  let name = recentNames.get(sql);
  if (name) return name;
  name = `p_${createHash('sha1').update(sql).digest('base64url')}`;
  if (recentNames.size >= RECENT_NAMES) recentNames.clear();
  recentNames.set(sql, name);
  return name;
}

/**
 * The name `sql` is prepared under on `connection`, remembered as its most recently used
 * statement. Beyond {@link STATEMENTS_PER_CONNECTION} the least recently used one is deallocated
 * (queued ahead of the query about to run, as knex runs one query at a time per connection).
 */
function nameOn(connection: pg.Client, sql: string): string {
  const name = statementName(sql);
  let names = namesOf.get(connection);
  if (!names) namesOf.set(connection, (names = new Map()));
  const known = names.delete(name);
  names.set(name, sql);
  if (known || names.size <= STATEMENTS_PER_CONNECTION) return name;
  const [oldest, oldestSql] = names.entries().next().value!;
  names.delete(oldest);
  const parsed = (connection as unknown as { connection: ParsedStatements }).connection;
  delete parsed.parsedStatements[oldest];
  delete parsed.submittedNamedStatements[oldest];
  connection.query(`DEALLOCATE ${connection.escapeIdentifier(oldest)}`).catch(() => {
    // Still prepared on the server (say, in a transaction that failed meanwhile): it stays
    // known, so a later use binds to it rather than preparing it again under the same name.
    parsed.parsedStatements[oldest] = oldestSql;
  });
  return name;
}

/**
 * Runs the statements of `knex` that carry parameters as named prepared statements: PostgreSQL
 * parses them once per connection and may reuse a generic plan, instead of parsing and planning
 * each execution (for a small page that was most of the server's time per request). A query
 * opts out with `.options({ prepare: false })`, e.g. where a plan must fit each value.
 *
 * A transaction-mode pooler that does not track named statements (PgBouncer before 1.21, or
 * without `max_prepared_statements`) hands a transaction a server connection that may not have
 * them: turn this off there (`DATABASE_PREPARED_STATEMENTS=false`).
 */
export function prepareStatements(knex: Knex): void {
  const client = knex.client as unknown as { _query: RunQuery };
  const run = client._query.bind(client);
  client._query = (connection, query) => {
    const { prepare, ...options } = query.options ?? {};
    if (prepare !== false && query.bindings?.length && !options.name) {
      query.options = { ...options, name: nameOn(connection, query.sql) };
    } else if (prepare !== undefined) {
      query.options = options;
    }
    return run(connection, query);
  };
}
