import { RetriableError } from './errors.ts';

/**
 * Thrown when no broker answers (it is down, or the network between is): retrying later can
 * succeed, unlike a refusal (KafkaAccessError).
 */
export class KafkaUnreachableError extends RetriableError {
  constructor(brokers: string[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Kafka is unreachable at ${brokers.join(',')}: ${reason}`, { cause });
  }
}
