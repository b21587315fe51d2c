import type { GraphQLErrorShape } from './graphql-client.ts';
import { NamedError } from '../model/errors.ts';

/** A failed tool call: the message tells the agent what to fix; it becomes an `isError` result. */
export class ToolError extends NamedError {}

/** The typed errors of every mutation result union, as {@link ERROR_FIELDS} selects them. */
export type TypedError =
  | { __typename: 'ValidationError'; message: string; field: string }
  | { __typename: 'NotFoundError'; message: string; entity: string; id: string }
  | { __typename: 'LimitExceededError'; message: string; limit: string; max: number }
  | { __typename: 'ConflictError'; message: string; field: string };

/** The selection of a mutation's typed errors. */
export const ERROR_FIELDS = `__typename ... on Error { message } ... on ValidationError { field }
  ... on NotFoundError { entity id } ... on LimitExceededError { limit max }
  ... on ConflictError { field }`;

const TYPED_ERRORS = new Set<string>([
  'ValidationError',
  'NotFoundError',
  'LimitExceededError',
  'ConflictError',
]);

/** Whether a mutation payload is one of the typed errors. */
export const isTypedError = (payload: { __typename: string }): payload is TypedError =>
  TYPED_ERRORS.has(payload.__typename);

/** What a failing call was: the tool, its argument names, and whether it writes. */
export interface CallContext {
  tool: string;
  argNames: readonly string[];
  readOnly: boolean;
}

/** GraphQL names and the tool arguments (or tools) an agent knows them by. */
const AGENT_NAMES: Record<string, string> = {
  dueAt: 'due_date',
  timeZone: 'time_zone',
  categoryId: 'category_id',
  tagIds: 'tag_ids',
  tagId: 'tag_id',
  taskId: 'task_id',
  recurrenceRule: 'recurrence_rule',
  recurrenceAnchor: 'recurrence_anchor',
  remindBeforeMinutes: 'remind_before_minutes',
  remindAt: 'remind_at',
  idempotencyKey: 'idempotency_key',
  withinHours: 'within_hours',
  dueBefore: 'due_before',
  dueAfter: 'due_after',
  first: 'limit',
  after: 'cursor',
  orderBy: 'sort_by',
  createTask: 'add_task',
  updateTask: 'update_task',
  deleteTask: 'delete_task',
  completeTask: 'complete_task',
  setReminder: 'set_reminder',
  clearReminder: 'set_reminder',
  snoozeReminder: 'snooze_reminder',
  addTagToTask: 'add_tag_to_task',
  removeTagFromTask: 'remove_tag_from_task',
  createCategory: 'create_category',
  updateCategory: 'update_category',
  createTag: 'create_tag',
  updateTag: 'update_tag',
};

const LIST_TOOL: Record<string, string> = {
  Task: 'list_tasks or search_tasks',
  Category: 'list_categories',
  Tag: 'list_tags',
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The argument an API field path (`input.dueAt`, `filter.tagIds.0`, `id`) stands for. */
export function argumentFor(field: string, context: CallContext): string {
  const segments = field.split('.').filter((segment) => !/^\d+$/.test(segment));
  const last = segments.at(-1) ?? field;
  if (segments.length === 1 && (last === 'input' || last === 'filter')) return 'arguments';
  if (last === 'id') {
    return context.argNames.find((name) => /^(task|category|tag)_id$/.test(name)) ?? 'id';
  }
  if (segments.includes('orderBy')) return last === 'direction' ? 'order' : 'sort_by';
  if (last === 'priorities') return 'priorities';
  return AGENT_NAMES[last] ?? snake(last);
}

/** Rewrites the API's names in a message (`input.dueAt`, `setReminder`) into the agent's. */
export function agentWording(message: string, context: CallContext): string {
  return message
    .replace(/\binput\.([\w.]+)/g, (_, path: string) => argumentFor(path, context))
    .replace(/\binput\b/g, 'the arguments')
    .replace(/\b[a-z]+[A-Z]\w*\b/g, (word) => AGENT_NAMES[word] ?? word)
    .replace(/\.$/, '');
}

/** The message without its leading field name (`first must be ...` -> `must be ...`). */
function withoutSubject(message: string, field: string, arg: string, context: CallContext) {
  for (const subject of [field, arg]) {
    if (message.startsWith(`${subject} `))
      return agentWording(message.slice(subject.length + 1), context);
  }
  return agentWording(message, context);
}

const unchanged = (context: CallContext) => (context.readOnly ? '' : ' Nothing was changed.');

/** The agent-facing text of a typed error (a mutation's union member or a query error). */
export function describeTypedError(error: TypedError, context: CallContext): ToolError {
  const message = agentWording(error.message, context);
  switch (error.__typename) {
    case 'ValidationError': {
      const arg = argumentFor(error.field, context);
      const reason = withoutSubject(error.message, error.field, arg, context);
      return new ToolError(
        `Invalid ${arg}: ${reason}. Fix ${arg} and call ${context.tool} again.${unchanged(context)}`,
      );
    }
    case 'NotFoundError': {
      const arg =
        error.entity === 'Tag' && !context.argNames.includes('tag_id')
          ? 'tag_ids'
          : `${error.entity.toLowerCase()}_id`;
      return new ToolError(
        `${error.entity} ${error.id} does not exist for you (argument ${arg}). ` +
          `Use an id from ${LIST_TOOL[error.entity] ?? 'a list tool'}.${unchanged(context)}`,
      );
    }
    case 'LimitExceededError':
      return new ToolError(
        `Limit reached (${error.limit}, at most ${error.max}): ${message}.${unchanged(context)}`,
      );
    case 'ConflictError': {
      const arg = argumentFor(error.field, context);
      const reason = withoutSubject(error.message, error.field, arg, context);
      return new ToolError(
        `${arg} is already taken: ${reason}. Choose another ${arg}, or use the existing one.` +
          unchanged(context),
      );
    }
  }
}

const COERCION = /^Variable "\$(\w+)" got invalid value (.*?)(?: at "([\w.]+)")?; ([\s\S]*)$/;

/** The agent-facing text of the GraphQL errors of a response. */
export function describeGraphQLErrors(
  errors: readonly GraphQLErrorShape[],
  context: CallContext,
): ToolError {
  const [error] = errors;
  if (!error) return new ToolError(`${context.tool} failed without a reason.`);
  const { code, field, entity, id, limit, max } = error.extensions ?? {};
  const typed: Record<string, TypedError['__typename']> = {
    VALIDATION_ERROR: 'ValidationError',
    NOT_FOUND: 'NotFoundError',
    LIMIT_EXCEEDED: 'LimitExceededError',
    CONFLICT: 'ConflictError',
  };
  const __typename = code ? typed[code] : undefined;
  if (__typename) {
    return describeTypedError(
      {
        __typename,
        message: error.message,
        field: String(field ?? 'input'),
        entity: String(entity ?? 'Task'),
        id: String(id ?? ''),
        limit: String(limit ?? ''),
        max: Number(max ?? 0),
      } as TypedError,
      context,
    );
  }
  const coercion = COERCION.exec(error.message);
  if (coercion) {
    const [, variable = '', value = '', path, reason = ''] = coercion;
    const arg = argumentFor(path ?? variable, context);
    const hint = /DateTime/.test(reason)
      ? ' Use ISO 8601 with offset, e.g. 2026-12-01T09:00:00+01:00.'
      : '';
    return new ToolError(
      `Invalid ${arg}: got ${value}; ${agentWording(reason, context)}.${hint} ` +
        `Fix ${arg} and call ${context.tool} again.${unchanged(context)}`,
    );
  }
  return new ToolError(
    `${context.tool} failed: ${agentWording(error.message, context)}.${unchanged(context)}`,
  );
}
