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
 * True for transient failures: RetriableError, PostgreSQL connection, resource, shutdown,
 * serialization and deadlock errors, socket errors, knex pool timeouts, and errors that say
 * `retriable: true` (as kafkajs' do). Programming errors are never retriable.
 */
export function isRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
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
