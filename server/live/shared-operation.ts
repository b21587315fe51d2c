import {
  getOperationAST,
  Kind,
  print,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
} from 'graphql';

/** The subscription fields whose events a user's subscribers share (see live-hub.ts). */
const SHARED_FIELDS: ReadonlySet<string> = new Set(['taskEvents', 'reminders']);

/**
 * The root field of a subscription that reads a user's live events, when `args` is one: a
 * subscription whose only root selection is `taskEvents` or `reminders`. Its results depend on
 * the event and the selection alone, so the subscribers of one user that select the same fields
 * can share one execution (and one serialization) per event.
 */
export function sharedLiveField(args: ExecutionArgs): FieldNode | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'subscription') return undefined;
  const [field, ...rest] = operation.selectionSet.selections;
  if (rest.length > 0 || field?.kind !== Kind.FIELD || field.directives?.length) return undefined;
  return SHARED_FIELDS.has(field.name.value) ? field : undefined;
}

/**
 * What decides an event's result for a subscriber: its user, its operation without the root
 * field's arguments (`after` only says where the stream starts), and the variables the rest of
 * the operation uses. Subscribers with equal keys get byte-identical results for one event.
 */
export function shareKeyOf(userId: string, args: ExecutionArgs, root: FieldNode): string {
  const used = new Set<string>();
  const document = visit(args.document, {
    Field: (node) => (node === root ? { ...node, arguments: [] } : undefined),
  }) as DocumentNode;
  visit(document, {
    VariableDefinition: () => false,
    Variable: (node) => void used.add(node.name.value),
  });
  const variables = Object.entries(args.variableValues ?? {})
    .filter(([name]) => used.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([userId, args.operationName ?? null, print(document), variables]);
}

/**
 * Serialized results of live events, each made once per event and share key and handed to every
 * subscriber with that key. Entries live as long as the event object does (a WeakMap): once
 * every subscriber has sent it, both go.
 */
export class SharedResults {
  private readonly made = new WeakMap<object, Map<string, Promise<string>>>();

  /** The serialized result of `item` for `key`, made by `make` the first time it is asked for. */
  resultOf(item: object, key: string, make: () => Promise<string>): Promise<string> {
    let byKey = this.made.get(item);
    if (!byKey) {
      byKey = new Map();
      this.made.set(item, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = make();
      byKey.set(key, result);
    }
    return result;
  }
}
