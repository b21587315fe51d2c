import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import type { Plugin } from 'graphql-yoga';

/**
 * Executes queries and mutations with graphql-jit: each document is compiled once into a
 * function (cached per parsed document, which yoga's parser cache shares between requests), so
 * a request no longer walks the document and the schema field by field.
 *
 * The reference executor keeps two cases: subscriptions, which the live path (server/live) is
 * built and tested on; and a request whose variables do not fit their types, so that it is
 * refused as before (HTTP 400, GraphQL's own messages) rather than by graphql-jit's coercion,
 * which answers some such variables differently and throws on others.
 */
export function useCompiledExecution(): Plugin {
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        const operation = getOperationAST(document, operationName);
        if (!operation || operation.operation === 'subscription') return false;
        const variables = getVariableValues(
          schema,
          operation.variableDefinitions ?? [],
          variableValues ?? {},
          { maxErrors: 1 },
        );
        return variables.errors === undefined;
      },
    },
  ) as Plugin;
}
