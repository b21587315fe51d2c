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

it('answers a database that is down or restarting with 503 SERVICE_UNAVAILABLE and Retry-After', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  for (const down of [
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    withCode('terminating connection due to administrator command', '57P01'),
    withCode('the database system is starting up', '57P03'),
    withCode('the database system is in recovery mode', '57P03'),
    new Error('Connection terminated unexpectedly'),
    // As knex passes it on: the query first.
    new Error('insert into "tasks" ("title") values ($1) - Connection terminated unexpectedly'),
    new Error('creating the task failed', {
      cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED'),
    }),
  ]) {
    const masked = maskError(wrapped(down), 'Unexpected error.') as GraphQLError;
    expect(masked.message).toMatch(/database cannot be reached/);
    expect(masked.message).not.toContain(down.message);
    expect(masked.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      http: { status: 503, headers: { 'retry-after': '1' } },
    });
  }
});

it('still masks a query the database refused for what it is (not a connection failure)', () => {
  const syntax = Object.assign(new Error('syntax error at or near "x"'), { code: '42601' });
  const masked = maskError(wrapped(syntax), 'Unexpected error.') as GraphQLError;
  expect(masked.message).toBe('Unexpected error.');
  expect(masked.extensions.code).not.toBe('SERVICE_UNAVAILABLE');
});

it('answers a database failure behind a real pool as 503: the refused connection, through knex', async () => {
  const db = knex({
    client: 'pg',
    connection: 'postgres://postgres@127.0.0.1:1/none',
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 5_000,
  });
  try {
    const error = await db.raw('SELECT 1').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const masked = maskError(wrapped(error as Error), 'Unexpected error.') as GraphQLError;
    expect(masked.extensions.code).toBe('SERVICE_UNAVAILABLE');
  } finally {
    await db.destroy();
  }
});
