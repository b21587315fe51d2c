import { SignJWT, errors, jwtVerify } from 'jose';
import { NamedError } from '../../model/errors.ts';

/** Why a bearer token was refused; safe to show to the caller. */
export class AuthError extends NamedError {}

/** The caller a verified token names. */
export interface Principal {
  userId: string;
  /** When the token stops being valid, if it says. */
  expiresAt: Date | undefined;
}

const encoder = new TextEncoder();

/** Verifies an HS256 JWT and returns its subject; refuses every other algorithm, including `none`. */
export async function verifyToken(token: string, secret: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
      throw new AuthError(
        'The token has no usable subject: `sub` must be a 1-255 character string.',
      );
    }
    return {
      userId: payload.sub,
      expiresAt: payload.exp === undefined ? undefined : new Date(payload.exp * 1000),
    };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (error instanceof errors.JWTExpired) throw new AuthError('The token has expired.');
    throw new AuthError('The token is not a valid HS256 JWT signed with this server’s secret.');
  }
}

/** Reads the token from an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | null | undefined): string {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) {
    throw new AuthError('Missing credentials: send `Authorization: Bearer <JWT>`.');
  }
  return match[1];
}

/** Signs an HS256 token for `userId`; used for development tokens and tests. */
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
