import { ApiError } from '../api/graphql.ts';
import type { Session } from '../session.ts';

/** A category or a tag as the labels page shows it. */
export interface Label {
  id: string;
  name: string;
  color: string;
  taskCount: number;
}

/** What differs between categories and tags on the page. */
export interface LabelKind {
  /** The GraphQL type: Category or Tag. */
  type: 'Category' | 'Tag';
  /** The success payload's field and the word on the page. */
  noun: 'category' | 'tag';
  title: string;
  maxName: number;
  /** The tasks page's parameter that filters by it. */
  param: 'category' | 'tags';
  /** The filtered task list's link text, for screen readers, before the name. */
  linkPrefix: string;
  /** What happens to its tasks when it is deleted (the API's description of delete). */
  deleteNote(taskCount: number): string;
}

const tasks = (n: number) => `${n} task${n === 1 ? '' : 's'}`;

export const CATEGORY: LabelKind = {
  type: 'Category',
  noun: 'category',
  title: 'Categories',
  maxName: 50,
  param: 'category',
  linkPrefix: 'Tasks in category ',
  deleteNote: (n) => (n === 0 ? 'No task is in it.' : `Its ${tasks(n)} stay, without a category.`),
};

export const TAG: LabelKind = {
  type: 'Tag',
  noun: 'tag',
  title: 'Tags',
  maxName: 30,
  param: 'tags',
  linkPrefix: 'Tasks tagged ',
  deleteNote: (n) =>
    n === 0 ? 'No task carries it.' : `It is taken off its ${tasks(n)}; the tasks stay.`,
};

export { tasks as taskCountText };

const FIELDS = 'id name color taskCount';

export const LABELS = `query { categories { ${FIELDS} } tags { ${FIELDS} } }`;

const ERRORS = `... on Error { message }
  ... on ConflictError { field } ... on ValidationError { field }`;

const mutation = (kind: LabelKind, action: 'create' | 'update' | 'delete') => {
  const args =
    action === 'create'
      ? ['$input: Create' + kind.type + 'Input!', 'input: $input']
      : action === 'update'
        ? ['$id: ID!, $input: Update' + kind.type + 'Input!', 'id: $id, input: $input']
        : ['$id: ID!', 'id: $id'];
  const name = `${action}${kind.type}`;
  return `mutation(${args[0]}) { ${name}(${args[1]}) {
    __typename ... on ${action[0]!.toUpperCase()}${action.slice(1)}${kind.type}Success { ${kind.noun} { ${FIELDS} } }
    ${ERRORS} } }`;
};

/** A typed error from a label mutation, with where on the form it belongs. */
export class LabelError extends ApiError {
  readonly at: 'name' | 'color' | 'form';
  constructor(message: string, at: 'name' | 'color' | 'form') {
    super(message);
    this.at = at;
  }
}

interface Payload {
  __typename: string;
  message?: string;
  field?: string;
  category?: Label;
  tag?: Label;
}

/**
 * Runs a create, update or delete of `kind`; resolves with the label, or rejects with a
 * LabelError placed at the field it concerns (a taken name at the name; a bad colour at the
 * colour; a limit on the form).
 */
export async function mutate(
  api: Session['api'],
  kind: LabelKind,
  action: 'create' | 'update' | 'delete',
  variables: Record<string, unknown>,
): Promise<Label> {
  const data = await api<Record<string, Payload>>(mutation(kind, action), variables);
  const payload = data[`${action}${kind.type}`]!;
  if (payload.__typename.endsWith('Success')) return payload[kind.noun]!;
  const message = payload.message ?? payload.__typename;
  const field = payload.field ?? '';
  const at =
    payload.__typename === 'ConflictError' || /name$/.test(field)
      ? 'name'
      : /color$/.test(field)
        ? 'color'
        : 'form';
  throw new LabelError(message, at);
}
