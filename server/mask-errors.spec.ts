import { GraphQLError } from 'graphql';
import knex from 'knex';
import { ValidationError } from '../model/errors.ts';
import { maskError } from './mask-errors.ts';

const wrapped = (original: Error) =>
  new GraphQLError(original.message, { originalError: original, path: ['createTask'] });

it('answers an exhausted database pool with 503 SERVICE_UNAVAILABLE and Retry-After, not a masked 500', () => {
  const timeout = new knex.KnexTimeoutError(
    'Knex: Timeout acquiring a connection. The pool is probably full.',
  );
  const masked = maskError(wrapped(timeout), 'Unexpected error.') as GraphQLError;
  expect(masked.message).toMatch(/busy/);
  expect(masked.message).not.toMatch(/pool is probably full/);
  expect(masked.extensions).toEqual({
    code: 'SERVICE_UNAVAILABLE',
    http: { status: 503, headers: { 'retry-after': '1' } },
  });
  expect(masked.path).toEqual(['createTask']);
});

it('passes domain errors with status 200 and masks anything else', () => {
  const domain = maskError(wrapped(new ValidationError('title', 'too long')), 'x') as GraphQLError;
  expect(domain.extensions.http).toEqual({ status: 200 });
  const other = maskError(wrapped(new Error('secret detail')), 'Unexpected error.');
  expect(other.message).toBe('Unexpected error.');
});
