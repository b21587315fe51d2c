import { isRetriable, RetriableError } from './errors.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isRetriable', () => {
  it.each([
    ['RetriableError', new RetriableError('later')],
    ['a lost PostgreSQL connection (08006)', withCode('08006')],
    ['a serialization failure', withCode('40001')],
    ['a deadlock', withCode('40P01')],
    ['an admin shutdown', withCode('57P01')],
    ['too many connections (53300)', withCode('53300')],
    ['a refused socket', withCode('ECONNREFUSED')],
    [
      'a kafkajs retriable error',
      Object.assign(new Error('leader not available'), { retriable: true }),
    ],
    ['a knex pool timeout', Object.assign(new Error('pool'), { name: 'KnexTimeoutError' })],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
  ])('retries %s', (_name, error) => {
    expect(isRetriable(error)).toBe(true);
  });

  it.each([
    ['a TypeError', new TypeError('x is undefined')],
    ['a constraint violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a kafkajs non-retriable error', Object.assign(new Error('bad'), { retriable: false })],
    ['a thrown string', 'oops'],
  ])('does not retry %s', (_name, error) => {
    expect(isRetriable(error)).toBe(false);
  });
});
