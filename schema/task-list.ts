import {
  overdueTasks,
  listTasks,
  searchTasks,
  upcomingTasks,
  type ListOptions,
  type TaskList,
} from '../domain/task-queries.ts';
import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { SearchHit } from '../model/task-list.ts';
import type { Task as TaskShape } from '../model/task.ts';
import { LIMITS } from '../model/limits.ts';
import { builder } from './builder.ts';
import { Priority, Task, TASK_FIELD_READS } from './task.ts';
import { scopeOf } from './scope.ts';

const TaskStatus = builder.enumType('TaskStatus', {
  values: {
    ALL: { value: 'all' },
    PENDING: { value: 'pending' },
    COMPLETED: { value: 'completed' },
  } as const,
});

const TaskOrderField = builder.enumType('TaskOrderField', {
  values: {
    CREATED_AT: { value: 'created_at' },
    UPDATED_AT: { value: 'updated_at' },
    DUE_DATE: {
      value: 'due_date',
      description:
        'Tasks without a due date come last in ascending order, first in descending order.',
    },
    PRIORITY: { value: 'priority', description: 'LOW < MEDIUM < HIGH < URGENT.' },
    TITLE: { value: 'title', description: 'Case-insensitive.' },
  } as const,
});

const OrderDirection = builder.enumType('OrderDirection', {
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const,
});

const TaskFilterInput = builder.inputType('TaskFilterInput', {
  description: 'Every given condition must hold.',
  fields: (t) => ({
    status: t.field({ type: TaskStatus, defaultValue: 'all' }),
    priorities: t.field({ type: [Priority], description: 'Any of these priorities.' }),
    categoryId: t.id(),
    tagIds: t.idList({ description: 'Tasks carrying any of these tags.' }),
    dueBefore: t.field({ type: 'DateTime', description: 'Due strictly before this moment.' }),
    dueAfter: t.field({ type: 'DateTime', description: 'Due at or after this moment.' }),
  }),
});

const TaskOrderInput = builder.inputType('TaskOrderInput', {
  fields: (t) => ({
    field: t.field({ type: TaskOrderField, required: true }),
    direction: t.field({ type: OrderDirection, defaultValue: 'asc' }),
  }),
});

const TaskConnection = builder.connectionObject(
  {
    type: Task,
    name: 'TaskConnection',
    fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }),
  },
  { name: 'TaskEdge' },
);

const SearchTaskConnection = builder.connectionObject(
  {
    type: Task,
    name: 'SearchTaskConnection',
    fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }),
  },
  {
    name: 'SearchTaskEdge',
    fields: (t) => ({
      rank: t.float({
        nullable: true,
        description:
          'Relevance; title matches outrank description matches. Null for an empty query.',
        resolve: (edge) => (edge as unknown as { rank: number | null }).rank,
      }),
      highlight: t.string({
        nullable: true,
        description:
          'Title and description around the matches, each match wrapped in <mark></mark>; HTML-escaped.',
        resolve: (edge) => (edge as unknown as { highlight: string | null }).highlight,
      }),
    }),
  },
);

/** An edge whose cursor is read from its page item only when the query selects it. */
class Edge {
  readonly node: TaskShape;
  readonly rank: number | null | undefined;
  readonly highlight: string | null | undefined;
  readonly #item: { readonly cursor: string };

  constructor(
    item: { readonly cursor: string },
    { node, rank, highlight }: { node: TaskShape; rank?: number | null; highlight?: string | null },
  ) {
    this.#item = item;
    this.node = node;
    this.rank = rank;
    this.highlight = highlight;
  }

  get cursor(): string {
    return this.#item.cursor;
  }
}

function connection<T>(
  list: TaskList<T>,
  after: string | null | undefined,
  toEdge: (node: T) => { node: TaskShape; rank?: number | null; highlight?: string | null },
) {
  return {
    edges: list.items.map((item) => new Edge(item, toEdge(item.node))),
    pageInfo: {
      hasNextPage: list.hasNextPage,
      hasPreviousPage: Boolean(after),
      startCursor: list.items[0]?.cursor ?? null,
      endCursor: list.items.at(-1)?.cursor ?? null,
    },
    totalCount: list.totalCount,
  };
}

/** The fields a selection set selects, through its fragments. */
function fieldsOf(set: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  return (set?.selections ?? []).flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return fieldsOf(selection.selectionSet, info);
    return fieldsOf(info.fragments[selection.name.value]?.selectionSet, info);
  });
}

/** listOptions of each field in a document: it depends on the document alone, and yoga keeps documents. */
const listOptionsOf = new WeakMap<FieldNode, ListOptions>();

/**
 * How a connection's page is read for this query: with its total when the query asks for
 * `totalCount`, and only the Task properties its `edges { node { … } }` fields read, when every
 * one of them is known to read only those (TASK_FIELD_READS); whole tasks otherwise. Worked out
 * once per field of a document (walking it was about 2 % of a small page's CPU).
 */
function listOptions(info: GraphQLResolveInfo): ListOptions {
  const [only, ...others] = info.fieldNodes;
  if (!only || others.length > 0) return readListOptions(info);
  let options = listOptionsOf.get(only);
  if (!options) listOptionsOf.set(only, (options = readListOptions(info)));
  return options;
}

function readListOptions(info: GraphQLResolveInfo): ListOptions {
  const selected = (nodes: readonly FieldNode[], name: string) =>
    nodes.flatMap((node) => fieldsOf(node.selectionSet, info)).filter((f) => f.name.value === name);
  const taskFields = selected(selected(info.fieldNodes, 'edges'), 'node').flatMap((node) =>
    fieldsOf(node.selectionSet, info),
  );
  const withTotal = selected(info.fieldNodes, 'totalCount').length > 0;
  const fields = new Set<keyof TaskShape>();
  for (const field of taskFields) {
    const reads = TASK_FIELD_READS.get(field.name.value);
    if (!reads) return { withTotal };
    for (const property of reads) fields.add(property);
  }
  return { withTotal, fields };
}

const taskEdges = (list: TaskList<TaskShape>, after?: string | null) =>
  connection(list, after, (node) => ({ node }));

const pageArgs = (t: Parameters<Parameters<typeof builder.queryField>[1]>[0]) => ({
  first: t.arg.int({
    description: `Page size, 0-${LIMITS.pageSizeMax} (default ${LIMITS.pageSizeDefault}).`,
  }),
  after: t.arg.string({ description: 'The endCursor of the previous page.' }),
});

const pageComplexity = (args: { first?: number | null }) => ({
  field: 2,
  multiplier: Math.min(args.first ?? LIMITS.pageSizeDefault, LIMITS.pageSizeMax),
});

builder.queryField('tasks', (t) =>
  t.field({
    type: TaskConnection,
    description: 'Your tasks, filtered, sorted (default: newest first) and paged.',
    args: {
      filter: t.arg({ type: TaskFilterInput }),
      orderBy: t.arg({ type: TaskOrderInput }),
      ...pageArgs(t),
    },
    complexity: pageComplexity,
    resolve: async (_root, args, ctx, info) => {
      const orderBy = args.orderBy
        ? { field: args.orderBy.field, direction: args.orderBy.direction ?? 'asc' }
        : null;
      const list = await listTasks(scopeOf(ctx), { ...args, orderBy }, listOptions(info));
      return taskEdges(list, args.after);
    },
  }),
);

builder.queryField('searchTasks', (t) =>
  t.field({
    type: SearchTaskConnection,
    description:
      'Full-text search over title and description: stemming, stop words, "quoted phrases", `or`, `-word`, ' +
      'and prefix matching of the last word. Best matches first. An empty query lists the filtered tasks, newest first.',
    args: {
      query: t.arg.string({
        required: true,
        description: `At most ${LIMITS.searchQueryLength} characters.`,
      }),
      filter: t.arg({ type: TaskFilterInput }),
      ...pageArgs(t),
    },
    complexity: pageComplexity,
    resolve: async (_root, args, ctx, info) =>
      connection(
        await searchTasks(scopeOf(ctx), args, listOptions(info)),
        args.after,
        (hit: SearchHit<TaskShape>) => ({
          node: hit.task,
          rank: hit.rank,
          highlight: hit.highlight,
        }),
      ),
  }),
);

builder.queryField('overdueTasks', (t) =>
  t.field({
    type: TaskConnection,
    description: 'Pending tasks whose due date has passed, most overdue first.',
    args: pageArgs(t),
    complexity: pageComplexity,
    resolve: async (_root, args, ctx, info) =>
      taskEdges(await overdueTasks(scopeOf(ctx), args, listOptions(info)), args.after),
  }),
);

builder.queryField('upcomingTasks', (t) =>
  t.field({
    type: TaskConnection,
    description: 'Pending tasks due within the next hours, soonest first.',
    args: {
      withinHours: t.arg.int({
        description: `1-${LIMITS.upcomingHoursMax} (default ${LIMITS.upcomingHoursDefault}).`,
      }),
      ...pageArgs(t),
    },
    complexity: pageComplexity,
    resolve: async (_root, args, ctx, info) =>
      taskEdges(await upcomingTasks(scopeOf(ctx), args, listOptions(info)), args.after),
  }),
);
