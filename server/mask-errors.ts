import { GraphQLError } from 'graphql';
import { maskError as defaultMaskError } from 'graphql-yoga';
import knex from 'knex';
import { DomainError } from '../model/errors.ts';

/** How long a client told the service is busy should wait before trying again. */
const BUSY_RETRY_AFTER_S = 1;

/**
 * The answer when no database connection came free in time: the server is overloaded, not
 * broken, so the client gets 503 with `Retry-After` and a code it can act on.
 */
const busy = (error: GraphQLError) =>
  new GraphQLError(
    'The service is busy: no database connection came free in time. Retry shortly.',
    {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        http: { status: 503, headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) } },
      },
    },
  );

/**
 * Lets expected domain errors through to the client (on queries, which have no result union,
 * and on subscriptions refused at their start), with their code, type and details as
 * extensions; masks everything else as yoga does. A domain error is the client's to fix, not a
 * server failure: it is answered 200 (yoga takes a wrapped non-GraphQL error for an unexpected
 * one and answers 500 when no data comes with it). A request that found the database pool
 * exhausted is answered 503 SERVICE_UNAVAILABLE with `Retry-After`.
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
  if (error instanceof GraphQLError && error.originalError instanceof knex.KnexTimeoutError) {
    return busy(error);
  }
  return defaultMaskError(error, message, isDev);
}
