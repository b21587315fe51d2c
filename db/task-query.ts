import type { Knex } from 'knex';
import { ValidationError } from '../model/errors.ts';
import type {
  OrderField,
  Page,
  PageRequest,
  SearchHit,
  TaskFilter,
  TaskOrder,
} from '../model/task-list.ts';
import type { Task } from '../model/task.ts';
import { maintainedCount } from './task-counts.ts';
import { runSql } from './run-sql.ts';
import type { SqlText } from './sql-text.ts';
import { qualifiedTaskColumns, taskColumnsSql, toTask, type TaskRow } from './task-rows.ts';

/** The sort expression of each order, and the SQL type its cursor value is cast back to. */
const SORT_KEYS: Record<OrderField | 'rank', { sql: string; type: string }> = {
  created_at: { sql: 'tasks.created_at', type: 'timestamptz' },
  updated_at: { sql: 'tasks.updated_at', type: 'timestamptz' },
  due_date: { sql: "coalesce(tasks.due_at, 'infinity'::timestamptz)", type: 'timestamptz' },
  priority: { sql: 'tasks.priority_rank', type: 'smallint' },
  title: { sql: 'lower(tasks.title)', type: 'text' },
  rank: { sql: 'search_rank', type: 'real' },
};

type CursorKey = keyof typeof SORT_KEYS;
type Direction = TaskOrder['direction'];

/** Cursors carry the sort key as PostgreSQL prints it, so keyset comparisons are exact (µs). */
function encodeCursor(key: CursorKey, direction: Direction, value: string, id: string): string {
  return Buffer.from(JSON.stringify([key, direction, value, id])).toString('base64url');
}

/**
 * An item of a page whose cursor is encoded when it is read: most queries select no edge's
 * cursor, only the page's endCursor (encoding all of them was 1-2 % of a small page's CPU). A
 * class, not an object literal with a getter, so every item has the same shape.
 */
class PageItem<T> {
  readonly node: T;
  readonly #position: Parameters<typeof encodeCursor>;

  constructor(node: T, ...position: Parameters<typeof encodeCursor>) {
    this.node = node;
    this.#position = position;
  }

  get cursor(): string {
    return encodeCursor(...this.#position);
  }
}

const invalidCursor = () =>
  new ValidationError(
    'after',
    'after is not a cursor of this list and order; pass an endCursor or edge cursor from the same query',
  );

/** Runs a keyset query; a cursor value PostgreSQL cannot read (a data exception) is the caller's error. */
async function withCursor<T>(after: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (after && String((error as { code?: string }).code).startsWith('22')) throw invalidCursor();
    throw error;
  }
}

function decodeCursor(
  cursor: string,
  key: CursorKey,
  direction: Direction,
): { value: string; id: string } {
  try {
    const [cursorKey, cursorDirection, value, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (
      cursorKey === key &&
      cursorDirection === direction &&
      typeof value === 'string' &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id)
    ) {
      return { value, id };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/**
 * The filter's conditions on `tasks` for one user, as one SQL condition. `userCheck: 'row'`
 * checks the user on each row without offering the planner a user_id index, for a query whose
 * index already reads one user's rows (a BitmapAnd with a user_id index would read all of the
 * user's tasks). Lists of values are one array parameter each (see any-of.ts).
 */
function filterCondition(
  userId: string,
  filter: TaskFilter,
  userCheck: 'index' | 'row' = 'index',
): SqlText {
  const conditions = [userCheck === 'index' ? 'tasks.user_id = ?' : '(tasks.user_id = ?) IS TRUE'];
  const bindings: Knex.RawBinding[] = [userId];
  const add = (condition: string, value: Knex.RawBinding) => {
    conditions.push(condition);
    bindings.push(value);
  };
  if (filter.status !== 'all') add('tasks.completed = ?', filter.status === 'completed');
  if (filter.priorities?.length) add('tasks.priority = ANY(?)', [...filter.priorities]);
  if (filter.categoryId) add('tasks.category_id = ?', filter.categoryId);
  if (filter.dueBefore) add('tasks.due_at < ?', filter.dueBefore);
  if (filter.dueAfter) add('tasks.due_at >= ?', filter.dueAfter);
  if (filter.tagIds?.length) {
    add(
      'EXISTS (SELECT 1 FROM task_tags WHERE task_tags.task_id = tasks.id AND task_tags.tag_id = ANY(?))',
      [...filter.tagIds],
    );
  }
  return { sql: conditions.join(' AND '), bindings };
}

/** Adds the filter's conditions (see filterCondition) to a query on `tasks`. */
function applyFilter(
  query: Knex.QueryBuilder,
  userId: string,
  filter: TaskFilter,
  userCheck: 'index' | 'row' = 'index',
): Knex.QueryBuilder {
  const { sql, bindings } = filterCondition(userId, filter, userCheck);
  return query.whereRaw(sql, bindings);
}

/** The keyset condition after a cursor (when there is one) and the order it pages in. */
function keysetOf(
  key: CursorKey,
  direction: 'asc' | 'desc',
  after: string | undefined,
  sortSql = SORT_KEYS[key].sql,
): { after?: SqlText; orderBy: string } {
  const orderBy = `${sortSql} ${direction}, tasks.id ${direction}`;
  if (!after) return { orderBy };
  const cursor = decodeCursor(after, key, direction);
  const op = direction === 'asc' ? '>' : '<';
  return {
    after: {
      sql: `(${sortSql}, tasks.id) ${op} (?::${SORT_KEYS[key].type}, ?::uuid)`,
      bindings: [cursor.value, cursor.id],
    },
    orderBy,
  };
}

/** Adds the keyset condition and order (see keysetOf) to a query. */
function keyset(
  query: Knex.QueryBuilder,
  key: CursorKey,
  direction: 'asc' | 'desc',
  after: string | undefined,
  sortSql?: string,
): void {
  const { after: condition, orderBy } = keysetOf(key, direction, after, sortSql);
  if (condition) query.whereRaw(condition.sql, condition.bindings);
  query.orderByRaw(orderBy);
}

/** How a page of tasks is read. */
export interface PageOptions {
  /** Count all the tasks the filter matches in the page's statement. */
  withTotal?: boolean;
  /**
   * Read only these Task properties (and id and owner), leaving the others undefined, for a
   * reader that uses no other; see qualifiedTaskColumns.
   */
  fields?: ReadonlySet<keyof Task>;
}

/**
 * One page of the user's tasks, filtered and sorted, with keyset pagination. With `withTotal`,
 * the number of all the tasks the filter matches comes in the same statement (a scalar subquery
 * on each row): one round trip instead of two. It is unknown when the page is empty after a cursor.
 *
 * The statement is written as text rather than built with knex, and run without knex's raw
 * compiler (see run-sql.ts): it is the hottest read of the API, and knex's query builder was a
 * sixth of a small page's cost in the server (profiled).
 */
export async function listTaskPage(
  db: Knex,
  userId: string,
  filter: TaskFilter,
  order: TaskOrder,
  page: PageRequest,
  { withTotal = false, fields }: PageOptions = {},
): Promise<Page<Task> & { total: number | undefined }> {
  const where = filterCondition(userId, filter);
  const total = withTotal ? totalOf(userId, filter, where) : undefined;
  const { after, orderBy } = keysetOf(order.field, order.direction, page.after);
  const sql = [
    `SELECT ${taskColumnsSql(fields)}, (${SORT_KEYS[order.field].sql})::text AS sort_key`,
    total ? `, ${total.sql} AS total_count` : '',
    ` FROM tasks WHERE ${where.sql}`,
    after ? ` AND ${after.sql}` : '',
    ` ORDER BY ${orderBy} LIMIT ?`,
  ].join('');
  const bindings = [
    ...(total?.bindings ?? []),
    ...where.bindings,
    ...(after?.bindings ?? []),
    page.first + 1,
  ];
  const rows = await withCursor(page.after, () =>
    runSql<TaskRow & { sort_key: string; total_count?: string }>(db, { sql, bindings }),
  );
  return {
    items: rows
      .slice(0, page.first)
      .map((row) => new PageItem(toTask(row), order.field, order.direction, row.sort_key, row.id)),
    hasNextPage: rows.length > page.first,
    total: !withTotal
      ? undefined
      : rows[0]
        ? Number(rows[0].total_count)
        : page.after
          ? undefined
          : 0,
  };
}

/**
 * The number of the user's tasks the filter matches, as a scalar SQL expression: from the
 * maintained counts where they cover the filter, else by counting the tasks that meet `where`
 * (inside the subquery, `tasks` names the subquery's own table).
 */
function totalOf(userId: string, filter: TaskFilter, where: SqlText): SqlText {
  return (
    maintainedCount(userId, filter) ?? {
      sql: `(SELECT count(*) FROM tasks WHERE ${where.sql})`,
      bindings: where.bindings,
    }
  );
}

/** How many of the user's tasks match the filter. */
export async function countTasks(db: Knex, userId: string, filter: TaskFilter): Promise<number> {
  const total = totalOf(userId, filter, filterCondition(userId, filter));
  const rows = await runSql<{ n: string }>(db, {
    sql: `SELECT ${total.sql} AS n`,
    bindings: total.bindings,
  });
  return Number(rows[0]?.n ?? 0);
}

/** The final lexeme of a tsquery's text, and any closing parentheses after it. */
const FINAL_LEXEME = String.raw`('(?:[^']|'')+')(\s*\)*)\s*$`;

/**
 * The text-search query for what a user typed: web-search syntax (quoted phrases, `or`,
 * `-word`); when the text ends in a bare word, that word's lexeme also matches as a prefix, so
 * results follow the user while typing.
 */
function tsQuery(text: string): { sql: string; bindings: string[] } {
  const endsInBareWord = /(^|\s)[\p{L}\p{N}]+\s*$/u.test(text);
  const quotes = (text.match(/"/g) ?? []).length;
  if (endsInBareWord && quotes % 2 === 0) {
    return {
      sql: `regexp_replace(websearch_to_tsquery('english', ?)::text, ?, ?)::tsquery`,
      bindings: [text, FINAL_LEXEME, String.raw`\1:*\2`],
    };
  }
  return { sql: `websearch_to_tsquery('english', ?)`, bindings: [text] };
}

const HEADLINE_OPTIONS =
  'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "';
const ESCAPED_TEXT = `replace(replace(replace(concat_ws(' — ', tasks.title, tasks.description), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/**
 * The query a search runs, as the one-row CTE `search_query`: `query`, what the user typed as a
 * tsquery (see tsQuery), and `rank_query`, its positive part, which ranks (querytree drops
 * negated terms, which no match holds anyway; ranking over `report & !budget` costs about
 * twice as much per row as over `report`, for the same ranks; a query of negations only ranks as
 * it is). Read through QUERY and RANK_QUERY, subqueries PostgreSQL runs once per statement (an
 * InitPlan), so a generic plan (see GENERIC_PLANS in knex.ts) does not compute them per row.
 */
function withSearchQuery(db: Knex, query: Knex.QueryBuilder, text: string): Knex.QueryBuilder {
  const { sql, bindings } = tsQuery(text);
  return query.with(
    'search_query',
    db.raw(
      `SELECT q AS query, coalesce(nullif(querytree(q), 'T')::tsquery, q) AS rank_query FROM (SELECT ${sql} AS q) AS typed`,
      bindings,
    ),
  );
}
const QUERY = '(SELECT query FROM search_query)';
const RANK_QUERY = '(SELECT rank_query FROM search_query)';

/**
 * The user's tasks matching the search query (see withSearchQuery) and the filter, through the
 * GIN index over each user's own terms (task_search_terms: the search vector's lexemes,
 * positions and weights under a key of the user), so a prefix expands over the caller's words
 * only. The terms match exactly as the search vector would; the user_id check on each row covers
 * two users sharing a key.
 */
function searchMatches(db: Knex, userId: string, filter: TaskFilter) {
  return applyFilter(db('tasks'), userId, filter, 'row').whereRaw(
    `task_search_terms(tasks.user_id, tasks.search_vector) @@ task_search_query(?, ${QUERY})`,
    [userId],
  );
}

/** A page of search hits, and the number of all hits when the statement could tell it. */
export interface SearchPage<T> extends Page<SearchHit<T>> {
  total: number | undefined;
}

/**
 * One page of the user's tasks matching `text`, best first, with a highlighted snippet each, and
 * the number of all matches, in one statement: every match is ranked on its id and search vector
 * alone, the page's rows are read after the top-N sort, and the total is counted from the same
 * ranked matches.
 */
export async function searchTaskPage(
  db: Knex,
  userId: string,
  text: string,
  filter: TaskFilter,
  page: PageRequest,
  { fields }: Pick<PageOptions, 'fields'> = {},
): Promise<SearchPage<Task>> {
  // ts_rank, not ts_rank_cd: cover density adds up every mention, so a description naming the
  // word three times outranked a title naming it once (1.2 against 1.0); ts_rank's weighting
  // keeps any title match above description-only matches. It is also about a quarter of the
  // cost per ranked row (8,000 rows: 1.8 ms against 6 ms).
  const ranked = searchMatches(db, userId, filter).select(
    'tasks.id',
    db.raw(`ts_rank(tasks.search_vector, ${RANK_QUERY}) AS search_rank`),
  );
  const best = db.queryBuilder().from({ tasks: 'matches' }).select('tasks.*');
  keyset(best, 'rank', 'desc', page.after, 'tasks.search_rank');
  const rows: (TaskRow & {
    search_rank: number;
    sort_key: string;
    highlight: string;
    total_count: string;
  })[] = await withCursor(page.after, () =>
    withSearchQuery(db, db.queryBuilder(), text)
      .with('matches', ranked)
      .with('hits', best.limit(page.first + 1))
      .from('hits')
      .join('tasks', 'tasks.id', 'hits.id')
      .select([
        qualifiedTaskColumns(db, fields),
        'hits.search_rank',
        db.raw('hits.search_rank::text AS sort_key'),
        db.raw('(SELECT count(*) FROM matches) AS total_count'),
        db.raw(`ts_headline('english', ${ESCAPED_TEXT}, ${QUERY}, ?) AS highlight`, [
          HEADLINE_OPTIONS,
        ]),
      ])
      .orderByRaw('hits.search_rank desc, hits.id desc'),
  );
  return {
    items: rows
      .slice(0, page.first)
      .map(
        (row) =>
          new PageItem(
            { task: toTask(row), rank: row.search_rank, highlight: row.highlight },
            'rank',
            'desc',
            row.sort_key,
            row.id,
          ),
      ),
    hasNextPage: rows.length > page.first,
    // No row without a cursor means no match at all; after a cursor, the total is unknown here.
    total: rows[0] ? Number(rows[0].total_count) : page.after ? undefined : 0,
  };
}

/** How many of the user's tasks match `text` and the filter. */
export async function countSearch(
  db: Knex,
  userId: string,
  text: string,
  filter: TaskFilter,
): Promise<number> {
  const row = await withSearchQuery(db, searchMatches(db, userId, filter), text)
    .count({ count: '*' })
    .first();
  return Number(row?.count ?? 0);
}
