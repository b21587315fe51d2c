import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type pg from 'pg';
import { memoByText } from './text-memo.ts';

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

/**
 * Errors that say the server's statement under a name is not what node-postgres believes:
 * gone (26000), there already (42P05), or planned for columns a migration has since changed
 * (0A000, "cached plan must not change result type"). Each is raised before the statement runs.
 */
const STALE_STATEMENT = new Set(['26000', '42P05', '0A000']);

const namesOf = new WeakMap<pg.Client, Map<string, true>>();

/**
 * `p_` and the SHA-1 of the text: the same text gets the same name on every connection. Kept
 * per text, so a statement run again is not hashed again.
 */
const statementName = memoByText(
  (sql) => `p_${createHash('sha1').update(sql).digest('base64url')}`,
);

/** Makes node-postgres and this module forget `name` on `connection`, and the server drop it. */
function forget(connection: pg.Client, name: string): Promise<unknown> {
  namesOf.get(connection)?.delete(name);
  const parsed = (connection as unknown as { connection: ParsedStatements }).connection;
  delete parsed.parsedStatements[name];
  delete parsed.submittedNamedStatements[name];
  // Dropping a name the server does not have fails harmlessly; either way it is gone after.
  return connection.query(`DEALLOCATE ${connection.escapeIdentifier(name)}`).catch(() => {});
}

/**
 * The name `sql` is prepared under on `connection`, remembered as its most recently used
 * statement, and the least recently used name to drop when there are more than
 * {@link STATEMENTS_PER_CONNECTION}.
 */
function nameOn(connection: pg.Client, sql: string): { name: string; evicted?: string } {
  const name = statementName(sql);
  let names = namesOf.get(connection);
  if (!names) namesOf.set(connection, (names = new Map()));
  const known = names.delete(name);
  names.set(name, true);
  if (known || names.size <= STATEMENTS_PER_CONNECTION) return { name };
  return { name, evicted: names.keys().next().value! };
}

/**
 * Runs the statements of `knex` that carry parameters, outside transactions, as named prepared
 * statements: PostgreSQL parses them once per connection and may reuse a generic plan, instead
 * of parsing and planning each execution (for a small page of tasks that was most of the
 * server's time per request). A query opts out with `.options({ prepare: false })`.
 *
 * Statements in a transaction stay unnamed: knex gives each transaction a client of its own
 * (not wrapped here), and a transaction may queue several queries at once, which an eviction
 * could not safely pass. When the server's statement is not what node-postgres believes (it was
 * dropped, or a migration changed the columns it returns) the name is dropped and the query runs
 * once more unnamed: nothing ran the first time.
 *
 * A transaction-mode pooler that does not keep named statements (PgBouncer before 1.21, or
 * without `max_prepared_statements`) hands each transaction a server connection that may lack
 * them: turn this off there (see `DATABASE_PREPARED_STATEMENTS`).
 */
export function prepareStatements(knex: Knex): void {
  const client = knex.client as unknown as { _query: RunQuery };
  const run = client._query.bind(client);
  client._query = async (connection, query) => {
    const { prepare, ...options } = query.options ?? {};
    if (prepare === false || !query.bindings?.length || options.name) {
      if (prepare !== undefined) query.options = options;
      return run(connection, query);
    }
    const { name, evicted } = nameOn(connection, query.sql);
    // Nothing else runs on a pool connection meanwhile: dropped before the query is sent.
    if (evicted) await forget(connection, evicted);
    query.options = { ...options, name };
    try {
      return await run(connection, query);
    } catch (error) {
      if (!STALE_STATEMENT.has((error as { code?: string }).code ?? '')) throw error;
      await forget(connection, name);
      query.options = options;
      return run(connection, query);
    }
  };
}
