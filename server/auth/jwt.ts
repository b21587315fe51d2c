import { SignJWT, errors, jwtVerify } from 'jose';
import { NamedError } from '../../model/errors.ts';

/** Why a bearer token was refused; safe to show to the caller. */
export class AuthError extends NamedError {}

/** The caller a verified token names. */
export interface Principal {
  userId: string;
  /** When the token stops being valid: every accepted token says. */
  expiresAt: Date;
}

/** Claims a token must carry when configured (`AUTH_ISSUER`, `AUTH_AUDIENCE`); unchecked when unset. */
export interface ExpectedClaims {
  /** The `iss` a token must name. */
  issuer?: string;
  /** A value the token's `aud` must hold. */
  audience?: string;
}

const encoder = new TextEncoder();
/** The last moment a JavaScript Date holds, in seconds since 1970. */
const LAST_DATE_SECONDS = 8.64e12;

/**
 * Verifies an HS256 JWT and returns its subject and expiry; refuses every other algorithm
 * (including `none`), a token without `exp`, and, when `expected` says, another `iss` or `aud`.
 */
export async function verifyToken(
  token: string,
  secret: string,
  expected: ExpectedClaims = {},
): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      issuer: expected.issuer,
      audience: expected.audience,
    });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
      throw new AuthError(
        'The token has no usable subject: `sub` must be a 1-255 character string.',
      );
    }
    // A later exp is no Date at all, and a timer armed for it would fire at once, forever.
    if (payload.exp! > LAST_DATE_SECONDS) {
      throw new AuthError('The token’s `exp` claim is beyond the last date this server handles.');
    }
    return { userId: payload.sub, expiresAt: new Date(payload.exp! * 1000) };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (error instanceof errors.JWTExpired) throw new AuthError('The token has expired.');
    if (error instanceof errors.JWTClaimValidationFailed) throw claimError(error);
    throw new AuthError('The token is not a valid HS256 JWT signed with this server’s secret.');
  }
}

/** How many accepted tokens a {@link tokenVerifier} remembers by default. */
export const REMEMBERED_TOKENS = 10_000;

/**
 * {@link verifyToken} for one secret and set of expected claims that remembers the tokens it
 * accepted (up to `size`, the oldest forgotten first), so a client's next request with the same
 * token costs a lookup rather than an HMAC. A remembered token is refused once its `exp` has
 * passed, as verifyToken refuses it; a refused token is never remembered, and only a token signed
 * with the secret is ever accepted, so the map holds no caller-chosen strings.
 */
export function tokenVerifier(
  secret: string,
  expected: ExpectedClaims = {},
  { size = REMEMBERED_TOKENS, now = Date.now }: { size?: number; now?: () => number } = {},
): (token: string) => Promise<Principal> {
  const accepted = new Map<string, Principal>();
  return async (token) => {
    const known = accepted.get(token);
    if (known) {
      if (now() < known.expiresAt.getTime()) return known;
      accepted.delete(token);
      throw new AuthError('The token has expired.');
    }
    const principal = await verifyToken(token, secret, expected);
    if (accepted.size >= size) accepted.delete(accepted.keys().next().value!);
    accepted.set(token, Object.freeze(principal));
    return principal;
  };
}

/** Names the claim a token lacks or that holds another value than this server expects. */
function claimError(error: InstanceType<typeof errors.JWTClaimValidationFailed>): AuthError {
  const claim = `\`${error.claim}\``;
  if (error.reason === 'missing') {
    return new AuthError(
      error.claim === 'exp'
        ? 'The token has no `exp` (expiry) claim; tokens must expire.'
        : `The token has no ${claim} claim, which this server requires.`,
    );
  }
  return new AuthError(`The token’s ${claim} claim is not what this server accepts.`);
}

/** Reads the token from an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | null | undefined): string {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) {
    throw new AuthError('Missing credentials: send `Authorization: Bearer <JWT>`.');
  }
  return match[1];
}

/** Signs an HS256 token for `userId` that expires (30 days by default); for development tokens and tests. */
export async function signToken(
  secret: string,
  userId: string,
  { expiresIn = '30d' }: { expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(encoder.encode(secret));
}
