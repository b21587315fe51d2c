import type { Knex } from 'knex';
import type pg from 'pg';
import type { SqlText } from './sql-text.ts';
import { memoByText } from './text-memo.ts';

/** The parts of knex's client a statement runs through (knex/lib/client.js; not typed by knex). */
interface KnexClient {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
  /** Emits `query`, runs the statement (through prepared-statements.ts), and adds the SQL to an error. */
  query(
    connection: pg.Client,
    query: { method: 'raw'; sql: string; bindings: unknown[] },
  ): Promise<{ response: pg.QueryResult }>;
  /** `?` placeholders to `$1`, `$2`, … (`\?` stays a question mark). */
  positionBindings(sql: string): string;
}

/** The `$n` text of a `?` text, numbered once per text. */
const positionedText = memoByText((sql, client: KnexClient) => {
  // knex positions the text once more on its way out, which would turn an escaped one into a placeholder.
  if (sql.includes('\\?'))
    throw new Error('runSql takes no escaped question mark (\\?); use db.raw');
  return client.positionBindings(sql);
});

/**
 * The rows of one statement, as `db.raw(sql, bindings)` would return them, for the hottest reads:
 * on a pool connection through knex's client (its pool, its `query` event, its prepared
 * statements, its error messages) but not through knex's raw compiler and runner, which cost
 * about 17 µs of CPU a statement here (measured against `db.raw` on a page of tasks). Bindings
 * are values only: no `??` identifiers, no nested `knex.raw`. In a transaction it is `db.raw`:
 * the transaction holds its connection.
 */
export async function runSql<Row>(db: Knex, { sql, bindings }: SqlText): Promise<Row[]> {
  if (db.isTransaction) return ((await db.raw(sql, bindings)) as { rows: Row[] }).rows;
  const client = db.client as unknown as KnexClient;
  const text = positionedText(sql, client);
  const connection = await client.acquireConnection();
  try {
    const { response } = await client.query(connection, {
      method: 'raw',
      sql: text,
      bindings: bindings as unknown[],
    });
    return response.rows as Row[];
  } finally {
    await client.releaseConnection(connection);
  }
}
