import { GraphQLError } from 'graphql';
import { maskError as defaultMaskError } from 'graphql-yoga';
import { DomainError } from '../model/errors.ts';

/**
 * Lets expected domain errors through to the client (on queries, which have no result union),
 * with their code, type and details as extensions; masks everything else as yoga does.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  if (error instanceof GraphQLError && error.originalError instanceof DomainError) return error;
  return defaultMaskError(error, message, isDev);
}
