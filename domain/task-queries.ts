import { z } from 'zod';
import { findTask } from '../db/task-rows.ts';
import {
  countSearch,
  countTasks,
  listTaskPage,
  searchTaskPage,
  type PageOptions,
} from '../db/task-query.ts';
import { LIMITS } from '../model/limits.ts';
import { nowOf, type Scope } from './scope.ts';
import {
  DEFAULT_ORDER,
  type Page,
  type PageRequest,
  type SearchHit,
  type TaskFilter,
  type TaskOrder,
} from '../model/task-list.ts';
import { PRIORITIES, type Task } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';

/** A list result: one page, and the total it was cut from (counted only when asked). */
export interface TaskList<T> extends Page<T> {
  totalCount(): Promise<number>;
}

/** How a list is read: its total counted with the page, and which Task properties are read. */
export type ListOptions = PageOptions;

const filterInput = z
  .object({
    status: z.enum(['all', 'pending', 'completed']).nullish(),
    priorities: z.array(z.enum(PRIORITIES)).nullish(),
    categoryId: fields.id('category').nullish(),
    tagIds: z.array(fields.id('tag')).max(LIMITS.tagsPerUser).nullish(),
    dueBefore: fields.instant.nullish(),
    dueAfter: fields.instant.nullish(),
  })
  .nullish();

const pageInput = z.object({
  first: fields.pageSize.nullish(),
  after: fields.cursor.nullish(),
});

function normalizeFilter(raw: unknown): TaskFilter {
  const input = parseInput(filterInput, raw, 'filter') ?? {};
  return {
    status: input.status ?? 'all',
    priorities: input.priorities ?? undefined,
    categoryId: input.categoryId ?? undefined,
    tagIds: input.tagIds ?? undefined,
    dueBefore: input.dueBefore ?? undefined,
    dueAfter: input.dueAfter ?? undefined,
  };
}

function normalizePage(raw: { first?: number | null; after?: string | null }): PageRequest {
  const input = parseInput(pageInput, raw);
  return { first: input.first ?? LIMITS.pageSizeDefault, after: input.after ?? undefined };
}

/** One of the user's tasks, or undefined (another user's id answers the same as a missing one). */
export async function getTask(scope: Scope, id: string): Promise<Task | undefined> {
  return z.uuid().safeParse(id).success ? findTask(scope.db, scope.userId, id) : undefined;
}

/**
 * The user's tasks, filtered, sorted and paged. With `withTotal`, the total is counted in the
 * page's statement rather than by a second one when asked for.
 */
export async function listTasks(
  scope: Scope,
  args: {
    filter?: unknown;
    orderBy?: TaskOrder | null;
    first?: number | null;
    after?: string | null;
  },
  options: ListOptions = {},
): Promise<TaskList<Task>> {
  const filter = normalizeFilter(args.filter);
  const order = args.orderBy ?? DEFAULT_ORDER;
  const request = normalizePage(args);
  const { total, ...page } = await listTaskPage(
    scope.db,
    scope.userId,
    filter,
    order,
    request,
    options,
  );
  return { ...page, totalCount: async () => total ?? countTasks(scope.db, scope.userId, filter) };
}

/**
 * Full-text search over title and description, ranked, combinable with every filter. An empty
 * query lists the filtered tasks unranked; a query of symbols only finds nothing.
 */
export async function searchTasks(
  scope: Scope,
  args: { query: string; filter?: unknown; first?: number | null; after?: string | null },
  options: ListOptions = {},
): Promise<TaskList<SearchHit<Task>>> {
  const text = parseInput(fields.searchQuery, args.query, 'query').trim();
  const filter = normalizeFilter(args.filter);
  const page = normalizePage(args);
  if (text === '') {
    const list = await listTasks(
      scope,
      { ...args, filter: args.filter, orderBy: DEFAULT_ORDER },
      options,
    );
    return {
      ...list,
      items: list.items.map(({ node, cursor }) => ({
        node: { task: node, rank: null, highlight: null },
        cursor,
      })),
    };
  }
  const { total, ...hits } = await searchTaskPage(scope.db, scope.userId, text, filter, page, {
    fields: options.fields,
  });
  return {
    ...hits,
    totalCount: async () => total ?? countSearch(scope.db, scope.userId, text, filter),
  };
}

/** Pending tasks whose due date has passed, most overdue first. */
export function overdueTasks(
  scope: Scope,
  page: { first?: number | null; after?: string | null },
  options: ListOptions = {},
) {
  return listTasks(
    scope,
    {
      ...page,
      filter: { status: 'pending', dueBefore: nowOf(scope) },
      orderBy: { field: 'due_date', direction: 'asc' },
    },
    options,
  );
}

/** Pending tasks due within the next `withinHours` hours, soonest first. */
export function upcomingTasks(
  scope: Scope,
  args: { withinHours?: number | null; first?: number | null; after?: string | null },
  options: ListOptions = {},
) {
  const hours = parseInput(
    z
      .number()
      .int()
      .min(1)
      .max(LIMITS.upcomingHoursMax, `must be at most ${LIMITS.upcomingHoursMax}`),
    args.withinHours ?? LIMITS.upcomingHoursDefault,
    'withinHours',
  );
  const now = nowOf(scope);
  return listTasks(
    scope,
    {
      first: args.first,
      after: args.after,
      filter: {
        status: 'pending',
        dueAfter: now,
        dueBefore: new Date(now.getTime() + hours * 3_600_000),
      },
      orderBy: { field: 'due_date', direction: 'asc' },
    },
    options,
  );
}
