import { SignJWT } from 'jose';
import { NamedError } from '../../model/errors.ts';

/** Why a bearer token was refused; safe to show to the caller. */
export class AuthError extends NamedError {}

/** The caller a verified token names. */
export interface Principal {
  userId: string;
  /** When the token stops being valid: every accepted token says. */
  expiresAt: Date;
  /** The `email` claim, only when `email_verified` is true. */
  email?: string;
}

/** Claims a token must carry when configured (`AUTH_ISSUER`, `AUTH_AUDIENCE`); unchecked when unset. */
export interface ExpectedClaims {
  /** The `iss` a token must name. */
  issuer?: string;
  /** A value the token's `aud` must hold. */
  audience?: string;
}

const encoder = new TextEncoder();

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
