import { GraphQLError } from 'graphql';
import { maskError as defaultMaskError } from 'graphql-yoga';
import knex from 'knex';
import { DomainError } from '../model/errors.ts';

/** How long a client told the service is busy or unavailable should wait before trying again. */
const BUSY_RETRY_AFTER_S = 1;

// PostgreSQL's connection exceptions (08), shutdown or crash in progress, "cannot connect now"
// while it starts (57P01-57P03), too many connections (53300); the sockets' own failures.
const UNREACHABLE_PG_CODES = /^(08|57P0[123]$|53300$)/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

// A connection pg lost has no code; knex puts the query before the message.
const LOST_CONNECTION =
  /Connection terminated|Client has encountered a connection error|Client was closed/;

/**
 * True when `error`, or an error it wraps (`cause`), says the database could not be reached or
 * dropped the connection (it is down, restarting or out of connections), not that a query was
 * wrong.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  // Not `instanceof Error`: the sockets' errors may come from another realm (a test's VM).
  for (let depth = 0; typeof error === 'object' && error !== null && depth < 5; depth++) {
    const { code, message, cause } = error as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (UNREACHABLE_PG_CODES.test(code) || SOCKET_CODES.has(code))) {
      return true;
    }
    if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
    error = cause;
  }
  return false;
}

/**
 * A 503 SERVICE_UNAVAILABLE with `Retry-After` and a code the client can act on: the server is
 * overloaded or its database briefly away, not broken.
 */
const unavailable = (error: GraphQLError, message: string) =>
  new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      http: { status: 503, headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) } },
    },
  });

/**
 * Lets expected domain errors through to the client (on queries, which have no result union,
 * and on subscriptions refused at their start), with their code, type and details as
 * extensions; masks everything else as yoga does. A domain error is the client's to fix, not a
 * server failure: it is answered 200 (yoga takes a wrapped non-GraphQL error for an unexpected
 * one and answers 500 when no data comes with it). A request that found the database pool
 * exhausted, or the database unreachable (down, restarting, refusing connections), is answered
 * 503 SERVICE_UNAVAILABLE with `Retry-After`: a clear retryable error, not a masked 500.
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
    return unavailable(
      error,
      'The service is busy: no database connection came free in time. Retry shortly.',
    );
  }
  if (error instanceof GraphQLError && isDatabaseUnreachable(error.originalError)) {
    return unavailable(
      error,
      'The service is briefly unavailable: its database cannot be reached. Retry shortly.',
    );
  }
  return defaultMaskError(error, message, isDev);
}
