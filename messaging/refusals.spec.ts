import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { isRetriable, refusalOf } from './errors.ts';

/** A broker answer as kafkajs' protocol layer raises it (see kafkajs/src/protocol/error.js). */
const answer = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code, retriable, message: type } as never);

/** What kafkajs' retrier throws on a non-retriable error (its types leave out `cause`). */
const bail = (error: Error) =>
  new (KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error)(error, {
    cause: error,
  });

describe('refusalOf', () => {
  it.each([
    ['MESSAGE_TOO_LARGE', answer('MESSAGE_TOO_LARGE', 10, false)],
    ['RECORD_LIST_TOO_LARGE', answer('RECORD_LIST_TOO_LARGE', 18, false)],
    ['INVALID_RECORD', answer('INVALID_RECORD', 87, false)],
    [
      'CORRUPT_MESSAGE',
      new KafkaJSNumberOfRetriesExceeded(answer('CORRUPT_MESSAGE', 2, true), {
        retryCount: 5,
        retryTime: 2_000,
      }),
    ],
  ])('names %s, also when kafkajs wraps it, and never retries it', (type, error) => {
    const bailed = bail(error);
    expect(refusalOf(error)).toBe(type);
    expect(refusalOf(bailed)).toBe(type);
    expect(isRetriable(error)).toBe(false);
  });

  it.each([
    ['a broker that is away', new KafkaJSConnectionError('Connection error: ECONNREFUSED')],
    ['a leader that moved', answer('NOT_LEADER_OR_FOLLOWER', 6, true)],
    [
      'retries exhausted on a lost connection',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection timeout'), {
        retryCount: 5,
        retryTime: 2_000,
      }),
    ],
    ['an ordinary error', new Error('MESSAGE_TOO_LARGE in the text only')],
    ['a thrown string', 'MESSAGE_TOO_LARGE'],
  ])('finds no refusal in %s', (_name, error) => {
    expect(refusalOf(error)).toBeUndefined();
  });

  it('stops at a cycle of causes', () => {
    const error = new Error('a');
    (error as { cause?: unknown }).cause = error;
    expect(refusalOf(error)).toBeUndefined();
  });
});
