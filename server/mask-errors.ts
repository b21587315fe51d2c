import { GraphQLError } from 'graphql';
import { maskError as defaultMaskError } from 'graphql-yoga';
import { DomainError } from '../model/errors.ts';

/**
 * Lets expected domain errors through to the client (on queries, which have no result union,
 * and on subscriptions refused at their start), with their code, type and details as
 * extensions; masks everything else as yoga does. A domain error is the client's to fix, not a
 * server failure: it is answered 200 (yoga takes a wrapped non-GraphQL error for an unexpected
 * one and answers 500 when no data comes with it).
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  if (error instanceof GraphQLError && error.originalError instanceof DomainError) {
    if (error.extensions.http) return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, http: { status: 200 } },
    });
  }
  return defaultMaskError(error, message, isDev);
}
