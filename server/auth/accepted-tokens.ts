import { AuthError, type Principal } from './jwt.ts';

/** How many accepted tokens are remembered by default. */
export const REMEMBERED_TOKENS = 10_000;
/** How long an accepted token is remembered at most by default, so a key withdrawn from the JWKS stops working soon. */
export const REMEMBER_FOR_MS = 60_000;

/**
 * Wraps `verify` so that a token it accepted is accepted again from memory (up to `size` tokens,
 * the oldest forgotten first, each for at most `maxAgeMs`): a client sends the same token with
 * every request. A remembered token is refused once its `exp` has passed, as `verify` refuses it;
 * a refused token is never remembered, so the map holds no caller-chosen strings that failed.
 */
export function rememberAccepted(
  verify: (token: string) => Promise<Principal>,
  {
    size = REMEMBERED_TOKENS,
    maxAgeMs = REMEMBER_FOR_MS,
    now = Date.now,
  }: { size?: number; maxAgeMs?: number; now?: () => number } = {},
): (token: string) => Promise<Principal> {
  const accepted = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const known = accepted.get(token);
    if (known) {
      const at = now();
      if (at < known.until) return known.principal;
      accepted.delete(token);
      if (at >= known.principal.expiresAt.getTime()) throw new AuthError('The token has expired.');
    }
    const principal = Object.freeze(await verify(token));
    if (accepted.size >= size) accepted.delete(accepted.keys().next().value!);
    const until = Math.min(principal.expiresAt.getTime(), now() + maxAgeMs);
    accepted.set(token, { principal, until });
    return principal;
  };
}
