import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { IdentityProviderUnavailable } from './auth-errors.ts';
import type { JwksSource } from './auth-options.ts';
import { discoverJwksUrl, reasonOf } from './oidc-discovery.ts';

/** How the identity provider's keys are fetched and kept. */
export interface JwksKeysOptions {
  source: JwksSource;
  /** After a fetch (or a failed one), how long before a token naming an unknown `kid` may refetch. */
  cooldownMs?: number;
  /** How long fetched keys are used before they are fetched again. */
  cacheMaxAgeMs?: number;
  /** How long one fetch may take. */
  timeoutMs?: number;
}

/** The identity provider's public keys, for `jwtVerify`. */
export interface JwksKeys {
  /** Picks the key a token names (by `kid` and `alg`), fetching the JWKS when it must. */
  getKey: JWTVerifyGetKey;
  /**
   * Fetches the keys unless they are fresh. Resolves when keys are in hand (fetched now or held
   * from before); rejects with {@link IdentityProviderUnavailable} when none can be had.
   */
  check(): Promise<void>;
  /** Why the last fetch failed, while the keys held are stale; undefined when all is well. */
  readonly problem: string | undefined;
}

/**
 * The default cooldown: jose's is 30 s, but a provider that signs with a new key as soon as it
 * makes it (Better Auth does) would see its tokens refused that long; one fetch per 5 s is cheap.
 */
export const COOLDOWN_MS = 5_000;

type RemoteSet = ReturnType<typeof createRemoteJWKSet>;

/** Errors that say the token names no usable key, as opposed to a failed fetch. */
const isKeyMismatch = (error: unknown) =>
  error instanceof errors.JWKSNoMatchingKey ||
  error instanceof errors.JWKSMultipleMatchingKeys ||
  error instanceof errors.JOSENotSupported;

/**
 * The keys of `AUTH_JWKS_URL` (or of the issuer's discovered `jwks_uri`), held by jose's remote
 * JWKS set: cached for `cacheMaxAgeMs`, refetched when a token names an unknown `kid` (at most
 * once per `cooldownMs`), which is how key rotation is followed. When a fetch fails, the keys
 * fetched last keep verifying the tokens they signed, and no fetch is tried again for
 * `cooldownMs`; a token none of them matches is refused with {@link IdentityProviderUnavailable}.
 */
export function jwksKeys({
  source,
  cooldownMs = COOLDOWN_MS,
  cacheMaxAgeMs = 600_000,
  timeoutMs = 5_000,
}: JwksKeysOptions): JwksKeys {
  let remote: RemoteSet | undefined;
  let discovering: Promise<RemoteSet> | undefined;
  let failure: { at: number; error: IdentityProviderUnavailable } | undefined;
  let fallback: { json: string; getKey: JWTVerifyGetKey } | undefined;
  const where = 'url' in source ? source.url : `the issuer ${source.issuer}`;

  const remoteSet = async (): Promise<RemoteSet> => {
    if (remote) return remote;
    if (failure && Date.now() < failure.at + cooldownMs) throw failure.error;
    discovering ??= (
      'url' in source
        ? Promise.resolve(new URL(source.url))
        : discoverJwksUrl(source.issuer, { timeoutMs })
    ).then(
      (url) =>
        (remote = createRemoteJWKSet(url, {
          cooldownDuration: cooldownMs,
          cacheMaxAge: cacheMaxAgeMs,
          timeoutDuration: timeoutMs,
        })),
    );
    try {
      return await discovering;
    } catch (error) {
      failure = { at: Date.now(), error: error as IdentityProviderUnavailable };
      throw error;
    } finally {
      discovering = undefined;
    }
  };

  const failed = (error: unknown) => {
    const problem = new IdentityProviderUnavailable(
      `The identity provider's keys (${where}) could not be fetched (${reasonOf(error)}).`,
      { cause: error },
    );
    failure = { at: Date.now(), error: problem };
    return problem;
  };

  /** The keys fetched last, as a local set (rebuilt only when they change). */
  const held = (set: RemoteSet): JWTVerifyGetKey | undefined => {
    const jwks: JSONWebKeySet | undefined = set.jwks();
    if (!jwks) return undefined;
    const json = JSON.stringify(jwks);
    if (fallback?.json !== json) fallback = { json, getKey: createLocalJWKSet(jwks) };
    return fallback.getKey;
  };

  /** Verifies with the keys held; a token they do not know is refused as retryable. */
  const fromHeld: (set: RemoteSet, cause: IdentityProviderUnavailable) => JWTVerifyGetKey =
    (set, cause) => async (header, token) => {
      const getKey = held(set);
      try {
        if (getKey) return await getKey(header, token);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      }
      throw new IdentityProviderUnavailable(
        `${cause.message} No key held matches the token (kid ${JSON.stringify(header.kid)}); try again shortly.`,
        { cause },
      );
    };

  return {
    async getKey(header, token) {
      const set = await remoteSet();
      if (failure && Date.now() < failure.at + cooldownMs) {
        return fromHeld(set, failure.error)(header, token);
      }
      try {
        const key = await set(header, token);
        failure = undefined;
        return key;
      } catch (error) {
        if (isKeyMismatch(error)) throw error;
        return fromHeld(set, failed(error))(header, token);
      }
    },
    async check() {
      const set = await remoteSet();
      if (set.fresh) return;
      try {
        await set.reload();
        failure = undefined;
      } catch (error) {
        const problem = failed(error);
        if (!set.jwks()) throw problem;
      }
    },
    get problem() {
      return failure?.error.message;
    },
  };
}
