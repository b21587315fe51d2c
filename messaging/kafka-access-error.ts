import type { KafkaOptions } from './kafka-options.ts';
import { NamedError } from '../model/errors.ts';

/**
 * Thrown when the broker refuses this client for good: wrong SASL credentials or mechanism
 * (`authentication`), or a broker certificate it does not trust (`tls`). Retrying cannot help;
 * the configuration must change.
 */
export class KafkaAccessError extends NamedError {
  readonly reason: 'authentication' | 'tls';

  constructor(reason: 'authentication' | 'tls', message: string, cause: unknown) {
    super(message, { cause });
    this.reason = reason;
  }
}

/** Node's codes for a broker certificate that cannot be trusted. */
const TLS_REFUSALS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** The KafkaAccessError that `error` (or an error it wraps) stands for, if it is a refusal. */
export function accessErrorOf(
  error: unknown,
  settings: KafkaOptions,
): KafkaAccessError | undefined {
  if (error instanceof KafkaAccessError) return error;
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const { broker, code } = e as { broker?: string; code?: unknown };
    if (e.name === 'KafkaJSSASLAuthenticationError') {
      const sasl = settings.sasl;
      const who = sasl ? `user "${sasl.username}" (SASL ${sasl.mechanism})` : 'this client';
      return new KafkaAccessError(
        'authentication',
        `Kafka authentication failed: ${settings.brokers.join(',')} refused ${who}. Check ` +
          `KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM. (${e.message})`,
        error,
      );
    }
    if (typeof code === 'string' && TLS_REFUSALS.has(code)) {
      const fix =
        code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'connect with a host name the certificate is for'
          : 'set KAFKA_SSL_CA to the CA certificate that signed the broker certificate';
      return new KafkaAccessError(
        'tls',
        `Kafka TLS certificate not trusted: ${broker ?? settings.brokers.join(',')} failed ` +
          `verification (${e.message.replace(/^Connection error: /, '')}, ${code}); ${fix}.`,
        error,
      );
    }
  }
  return undefined;
}
