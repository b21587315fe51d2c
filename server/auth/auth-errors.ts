import { errors } from 'jose';
import { NamedError } from '../../model/errors.ts';
import { AuthError } from './jwt.ts';

/**
 * The identity provider's keys (its JWKS, or the OIDC discovery document naming them) could not
 * be fetched, and no key already held matches the token: the token may well be good, so the
 * caller should retry (HTTP 503, WebSocket 1013) rather than sign in again (401).
 */
export class IdentityProviderUnavailable extends NamedError {
  readonly status = 503;
  readonly retriable = true;
}

/**
 * Turns what jose threw while verifying a token into the refusal a caller is shown: an
 * {@link AuthError} naming what is wrong. {@link AuthError} and {@link IdentityProviderUnavailable}
 * pass through unchanged; anything else means the token is not a valid signed JWT.
 */
export function refusalOf(error: unknown): AuthError | IdentityProviderUnavailable {
  if (error instanceof AuthError || error instanceof IdentityProviderUnavailable) return error;
  if (error instanceof errors.JWTExpired) return new AuthError('The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) return claimRefusal(error);
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError('The token’s signature does not verify with the key it names.');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new AuthError(
      'The token names a key (`kid`) the identity provider does not publish, or one not declared for its `alg`.',
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new AuthError('The token’s `alg` is not one this server accepts.');
  }
  return new AuthError('The token is not a valid signed JWT.');
}

/** Names the claim a token lacks or that holds another value than this server expects. */
function claimRefusal(error: InstanceType<typeof errors.JWTClaimValidationFailed>): AuthError {
  const claim = `\`${error.claim}\``;
  if (error.reason === 'missing') {
    return new AuthError(
      error.claim === 'exp'
        ? 'The token has no `exp` (expiry) claim; tokens must expire.'
        : `The token has no ${claim} claim, which this server requires.`,
    );
  }
  if (error.claim === 'nbf') return new AuthError('The token is not valid yet (`nbf`).');
  return new AuthError(`The token’s ${claim} claim is not what this server accepts.`);
}
