/**
 * The GraphQL side of the shapes: the selections of a task, a label and a page of tasks, the
 * types they select, and how a tool's operation is written.
 */
import { ERROR_FIELDS, type TypedError } from '../errors.ts';
import { document, type Document } from '../graphql-client.ts';

/** The selection of a task. */
export const TASK_FIELDS = `id title description completed completedAt priority dueAt timeZone
  category { id name } tags { id name } recurrenceRule recurrenceAnchor remindAt
  remindBeforeMinutes createdAt updatedAt`;

/** The selection of a category or tag. */
export const LABEL_FIELDS = 'id name color taskCount';

export type GqlPriority = 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';
export type GqlAnchor = 'DUE_DATE' | 'COMPLETION';

/** A task as {@link TASK_FIELDS} selects it. */
export interface GqlTask {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: string | null;
  priority: GqlPriority;
  dueAt: string | null;
  timeZone: string;
  category: { id: string; name: string } | null;
  tags: { id: string; name: string }[];
  recurrenceRule: string | null;
  recurrenceAnchor: GqlAnchor;
  remindAt: string | null;
  remindBeforeMinutes: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A category or tag as {@link LABEL_FIELDS} selects it. */
export interface GqlLabel {
  id: string;
  name: string;
  color: string;
  taskCount: number;
}

/** A page of tasks as {@link taskPageQuery} selects it. */
export interface GqlPage<Edge = { node: GqlTask }> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Edge[];
}

/** A mutation's result union as {@link taskMutation} selects it. */
export type TaskPayload = { __typename: string; task: GqlTask } | TypedError;

const capitalize = (name: string) => name.replace(/^./, (c) => c.toUpperCase());

/**
 * An operation on one `field` that passes each of its `variables` as the field's argument of the
 * same name; its name defaults to the field's, capitalised.
 */
export function operation<TData, TVariables>(spec: {
  kind: 'query' | 'mutation';
  name?: string;
  field: string;
  /** The variable declarations, e.g. `$taskId: ID!, $tagId: ID!`; empty for none. */
  variables: string;
  selection: string;
}): Document<TData, TVariables> {
  const { kind, field, variables, selection, name = capitalize(field) } = spec;
  const args = variables.replace(/\$(\w+): [^,]+/g, '$1: $$$1');
  const [declared, passed] = variables ? [`(${variables})`, `(${args})`] : ['', ''];
  return document(`${kind} ${name}${declared} { ${field}${passed} { ${selection} } }`);
}

/**
 * A mutation of `field` whose success type (`DeleteTaskSuccess`) holds the task it changed; named
 * like the field unless `name` says otherwise.
 */
export const taskMutation = <TVariables>(field: string, variables: string, name?: string) =>
  operation<Record<string, TaskPayload>, TVariables>({
    kind: 'mutation',
    name,
    field,
    variables,
    selection: `${ERROR_FIELDS} ... on ${capitalize(field)}Success { task { ${TASK_FIELDS} } }`,
  });

/**
 * A query of a page of tasks at `field`, named like `field` unless `name` says otherwise; `edge`
 * adds fields to each edge (search's `highlight`).
 */
export const taskPageQuery = <TVariables, Edge = { node: GqlTask }>(
  field: string,
  variables: string,
  { name, edge = '' }: { name?: string; edge?: string } = {},
) =>
  operation<Record<string, GqlPage<Edge>>, TVariables>({
    kind: 'query',
    field,
    variables,
    selection: `totalCount pageInfo { hasNextPage endCursor } edges { ${edge} node { ${TASK_FIELDS} } }`,
    name,
  });
