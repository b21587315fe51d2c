import type { Knex } from 'knex';
import type { EventTransport } from '../../messaging/transport.ts';

/** A dependency check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 2_000;

/** `check`, failing with a message naming `name` when it does not answer within 2 s. */
export function withTimeout(name: string, check: ReadinessCheck): ReadinessCheck {
  return () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
      check()
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
}

/** PostgreSQL answers `select 1`, and Kafka (when it is the transport) answers a metadata request. */
export function dependencyChecks(knex: Knex, transport?: EventTransport): ReadinessCheck[] {
  const checks = [withTimeout('PostgreSQL', () => knex.raw('select 1').then(() => undefined))];
  if (transport?.kind === 'kafka') {
    checks.push(withTimeout('Kafka', () => transport.healthCheck()));
  }
  return checks;
}

/** Runs every check; resolves to the first failure's message, or undefined when all pass. */
export async function notReadyReason(checks: ReadinessCheck[]): Promise<string | undefined> {
  const results = await Promise.allSettled(checks.map((check) => check()));
  const failed = results.find((result) => result.status === 'rejected');
  return failed ? String((failed.reason as Error)?.message ?? failed.reason) : undefined;
}
