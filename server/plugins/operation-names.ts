import { Kind, parse } from 'graphql';

/** The label of an operation without a name, as yoga's Prometheus plugin has always called it. */
export const ANONYMOUS_OPERATION = 'Anonymous';
/** The label of every operation name past the cap, and of names no document could define. */
export const OTHER_OPERATION = '<other>';
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Maps operation names to metric label values from a bounded set: the `known` names, the first
 * `cap` other well-formed names seen, and {@link OTHER_OPERATION} for any after. Each label value
 * adds a series to every histogram it labels, and clients choose the names.
 */
export function boundedOperationNames({
  known,
  cap,
}: {
  known: Iterable<string>;
  cap: number;
}): (name: string | undefined) => string {
  const admitted = new Set([ANONYMOUS_OPERATION, ...known]);
  let others = 0;
  return (name) => {
    if (!name) return ANONYMOUS_OPERATION;
    if (admitted.has(name)) return name;
    if (others >= cap || !GRAPHQL_NAME.test(name)) return OTHER_OPERATION;
    others++;
    admitted.add(name);
    return name;
  };
}

/** The names of the operations `sources` define (each a GraphQL document). */
export function operationNamesOf(sources: Iterable<string>): string[] {
  return [...sources].flatMap((source) =>
    parse(source).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name
        ? [definition.name.value]
        : [],
    ),
  );
}
