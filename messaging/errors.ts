import { NamedError } from '../model/errors.ts';

/**
 * An error worth retrying: the same message may succeed later (a lost connection, a deadlock,
 * a broker that is briefly away). Anything else is treated as permanent and never retried.
 */
export class RetriableError extends NamedError {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const RETRIABLE_PG_CODES = /^(08|53|57P0|40001|40P01)/;
const RETRIABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * The broker's answers that refuse a message for what it is: sending it again cannot succeed.
 * kafkajs counts CORRUPT_MESSAGE as retriable, so it arrives here after kafkajs' own retries.
 */
export const REFUSAL_TYPES = [
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
] as const;
export type RefusalType = (typeof REFUSAL_TYPES)[number];

const isRefusalType = (type: unknown): type is RefusalType =>
  REFUSAL_TYPES.includes(type as RefusalType);

/**
 * The refusal type when `error`, or an error it wraps (kafkajs wraps the broker's answer in
 * `cause` once its retries are over), says the broker refused the message itself; undefined
 * for anything else, such as a broker that is away or a leader that moved.
 */
export function refusalOf(error: unknown): RefusalType | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current);) {
    seen.add(current);
    const { type } = current as Error & { type?: unknown };
    if (isRefusalType(type)) return type;
    current = current.cause;
  }
  return undefined;
}

/**
 * True for transient failures: RetriableError, PostgreSQL connection, resource, shutdown,
 * serialization and deadlock errors, socket errors, knex pool timeouts, and errors that say
 * `retriable: true` (as kafkajs' do), except a broker's refusal of the message itself
 * ({@link refusalOf}). Programming errors are never retriable.
 */
export function isRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (refusalOf(error) !== undefined) return false;
  const { code, retriable, name } = error as Error & { code?: string; retriable?: boolean };
  if (retriable === true) return true;
  if (name === 'KnexTimeoutError') return true;
  if (
    typeof code === 'string' &&
    (RETRIABLE_PG_CODES.test(code) || RETRIABLE_NODE_CODES.has(code))
  ) {
    return true;
  }
  return /Connection terminated|connection is closed/i.test(error.message);
}
