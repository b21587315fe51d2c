import { decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { rememberAccepted } from './accepted-tokens.ts';
import { IdentityProviderUnavailable, refusalOf } from './auth-errors.ts';
import { acceptedAlgorithms, type AuthOptions } from './auth-options.ts';
import { jwksKeys, type JwksKeys, type JwksKeysOptions } from './jwks-keys.ts';
import { AuthError, type Principal } from './jwt.ts';

/** Verifies the bearer tokens of every path (HTTP, SSE, WebSocket, MCP) the same way. */
export interface TokenVerifier {
  /**
   * The caller `token` names.
   * @throws AuthError (401; 4403 on a WebSocket) naming what is wrong with the token.
   * @throws IdentityProviderUnavailable (503) when the identity provider's keys cannot be had.
   */
  verify(token: string): Promise<Principal>;
  /** A readiness check: rejects while the identity provider's keys cannot be had at all. */
  check(): Promise<void>;
  /** Why the identity provider's keys could not be refreshed lately, if they could not. */
  readonly problem: string | undefined;
}

/** What {@link createTokenVerifier} needs beyond {@link AuthOptions}; tests shorten the timings. */
export interface VerifierTuning extends Omit<JwksKeysOptions, 'source'> {
  /** How long an accepted token is remembered at most (see `rememberAccepted`); 0 turns it off. */
  rememberMs?: number;
}

/** The last moment a JavaScript Date holds, in seconds since 1970. */
const LAST_DATE_SECONDS = 8.64e12;
const encoder = new TextEncoder();

/**
 * A verifier for `options`: HS256 tokens are checked with the shared secret, asymmetric ones
 * with the identity provider's JWKS (see {@link jwksKeys}); both may be configured at once. A
 * token is refused unless its `alg` is accepted, it carries `exp`, its `iss` and `aud` are the
 * configured ones, and its user claim (`sub` by default) is a 1-255 character string.
 */
export function createTokenVerifier(
  options: AuthOptions,
  { rememberMs, ...tuning }: VerifierTuning = {},
): TokenVerifier {
  const algorithms: readonly string[] = acceptedAlgorithms(options);
  const secret = options.secret ? encoder.encode(options.secret) : undefined;
  const keys: JwksKeys | undefined = options.jwks
    ? jwksKeys({
        source: options.jwks,
        ...(options.jwksCooldownSeconds !== undefined && {
          cooldownMs: options.jwksCooldownSeconds * 1000,
        }),
        ...(options.jwksCacheMaxAgeSeconds !== undefined && {
          cacheMaxAgeMs: options.jwksCacheMaxAgeSeconds * 1000,
        }),
        ...tuning,
      })
    : undefined;
  const keyFor = (alg: string): Uint8Array | JWTVerifyGetKey | undefined =>
    alg === 'HS256' ? secret : keys?.getKey;

  const verifyOnce = async (token: string): Promise<Principal> => {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError('The token is not a JWT (three base64url parts, a JSON header).');
    }
    if (typeof alg !== 'string' || alg.toLowerCase() === 'none') {
      throw new AuthError(
        'The token is not signed (`alg: none`); this server accepts signed tokens only.',
      );
    }
    const key = algorithms.includes(alg) ? keyFor(alg) : undefined;
    if (!key) {
      throw new AuthError(
        `The token’s algorithm ${alg} is not allowed; this server accepts ${algorithms.join(', ') || 'none'}.`,
      );
    }
    try {
      const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
        algorithms: [alg],
        requiredClaims: ['exp'],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds,
      });
      const userId = payload[options.userClaim];
      if (typeof userId !== 'string' || userId.length === 0 || userId.length > 255) {
        throw new AuthError(
          `The token has no usable user: \`${options.userClaim}\` must be a 1-255 character string.`,
        );
      }
      if (payload.exp! > LAST_DATE_SECONDS) {
        throw new AuthError('The token’s `exp` claim is beyond the last date this server handles.');
      }
      const email =
        payload.email_verified === true &&
        typeof payload.email === 'string' &&
        payload.email.length <= 254
          ? payload.email
          : undefined;
      return { userId, expiresAt: new Date(payload.exp! * 1000), email };
    } catch (error) {
      throw refusalOf(error);
    }
  };

  return {
    verify: rememberMs === 0 ? verifyOnce : rememberAccepted(verifyOnce, { maxAgeMs: rememberMs }),
    check: async () => keys?.check(),
    get problem() {
      return keys?.problem;
    },
  };
}

/** The HTTP status a verification failure is answered with: 503 when retryable, else 401. */
export function statusOf(error: AuthError | IdentityProviderUnavailable): 401 | 503 {
  return error instanceof IdentityProviderUnavailable ? 503 : 401;
}
