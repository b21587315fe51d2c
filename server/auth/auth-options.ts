import { z } from 'zod';
import { optionalText } from '../config-fields.ts';

/** The asymmetric JWS algorithms a JWKS key may declare; accepted by default. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** Every algorithm `AUTH_ALGORITHMS` may list: the asymmetric ones and HS256 (the shared secret). */
export const ALGORITHMS = [...ASYMMETRIC_ALGORITHMS, 'HS256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Where the identity provider's public keys come from. */
export type JwksSource =
  /** `AUTH_JWKS_URL`: the JWKS itself. */
  | { url: string }
  /** `AUTH_ISSUER` alone: the `jwks_uri` of `${issuer}/.well-known/openid-configuration`. */
  | { issuer: string };

/** How bearer tokens are verified; assembled by `config.ts` from the `AUTH_*` variables. */
export interface AuthOptions {
  /** HS256 shared secret (`AUTH_JWT_SECRET`): development tokens, or teams that want one. */
  secret?: string;
  /** The identity provider's keys (`AUTH_JWKS_URL`, or `AUTH_ISSUER` with OIDC discovery). */
  jwks?: JwksSource;
  /** The `iss` every token must carry (`AUTH_ISSUER`); unchecked when unset. */
  issuer?: string;
  /** Values of which a token's `aud` must hold one (`AUTH_AUDIENCE`); unchecked when unset. */
  audience?: string[];
  /** `AUTH_ALGORITHMS`; when unset, every asymmetric one a JWKS key declares, and HS256 with a secret. */
  algorithms?: Algorithm[];
  /** The claim naming the user (`AUTH_USER_CLAIM`, `sub` by default). */
  userClaim: string;
  /** Seconds of clock skew allowed on `exp` and `nbf` (`AUTH_CLOCK_TOLERANCE`, 0 by default). */
  clockToleranceSeconds: number;
  /**
   * Where MCP clients sign in, for RFC 9728: `AUTH_AUTHORIZATION_SERVERS`, else the identity
   * provider's `AUTH_ISSUER`; none with the shared secret alone.
   */
  authorizationServers: string[];
  /** The API's public URL (`AUTH_RESOURCE_URL`); taken from each request's `Host` when unset. */
  resourceUrl?: string;
  /** Seconds between JWKS refetches for unknown `kid`s (`AUTH_JWKS_COOLDOWN`, 5 by default). */
  jwksCooldownSeconds?: number;
  /** Seconds fetched keys are used before they are fetched again (`AUTH_JWKS_CACHE_MAX_AGE`, 600). */
  jwksCacheMaxAgeSeconds?: number;
}

const isHttpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const httpUrl = optionalText.pipe(
  z.string().refine(isHttpUrl, 'must be an http(s) URL, e.g. https://auth.example.com').optional(),
);

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const urlList = optionalText.transform((value, ctx) => {
  const urls = list(value) ?? [];
  if (urls.every(isHttpUrl)) return urls;
  ctx.issues.push({ code: 'custom', input: value, message: 'must list http(s) URLs' });
  return z.NEVER;
});

const algorithmList = optionalText.transform((value, ctx) => {
  const names = list(value);
  if (!names?.length) return undefined;
  const unknown = names.filter((name) => !(ALGORITHMS as readonly string[]).includes(name));
  if (unknown.length === 0) return names as Algorithm[];
  ctx.issues.push({
    code: 'custom',
    input: value,
    message: `names unknown algorithm(s) ${unknown.join(', ')}; use some of ${ALGORITHMS.join(', ')}`,
  });
  return z.NEVER;
});

const seconds = (defaultSeconds: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 or more seconds')
    .max(max, `must be at most ${max} seconds`)
    .default(defaultSeconds);

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const isPlainHttpRemote = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && !LOOPBACK.includes(hostname);
};

/** The `AUTH_*` environment variables, validated and turned into {@link AuthOptions}. */
export const authEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    AUTH_JWT_SECRET: optionalText.pipe(
      z
        .string()
        .min(32, 'must be at least 32 characters; generate one with `openssl rand -hex 32`')
        .optional(),
    ),
    AUTH_JWKS_URL: httpUrl,
    AUTH_ISSUER: optionalText,
    AUTH_AUDIENCE: optionalText.transform(list),
    AUTH_ALGORITHMS: algorithmList,
    AUTH_USER_CLAIM: optionalText.pipe(z.string().default('sub')),
    AUTH_CLOCK_TOLERANCE: seconds(0, 300),
    AUTH_AUTHORIZATION_SERVERS: urlList,
    AUTH_RESOURCE_URL: httpUrl,
    AUTH_JWKS_COOLDOWN: seconds(5, 3600),
    AUTH_JWKS_CACHE_MAX_AGE: seconds(600, 86_400),
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    const algorithms = env.AUTH_ALGORITHMS;
    if (algorithms?.includes('HS256') && !env.AUTH_JWT_SECRET) {
      issue('AUTH_ALGORITHMS', 'lists HS256, which needs AUTH_JWT_SECRET');
    }
    if (algorithms && env.AUTH_JWT_SECRET && !algorithms.includes('HS256')) {
      issue('AUTH_JWT_SECRET', 'is set but AUTH_ALGORITHMS does not list HS256');
    }
    const usesJwks = Boolean(env.AUTH_JWKS_URL || (env.AUTH_ISSUER && !env.AUTH_JWT_SECRET));
    if (algorithms && usesJwks && algorithms.every((name) => name === 'HS256')) {
      issue('AUTH_ALGORITHMS', 'lists no asymmetric algorithm for the identity provider’s keys');
    }
    if (env.AUTH_ISSUER && usesJwks && !env.AUTH_JWKS_URL && !isHttpUrl(env.AUTH_ISSUER)) {
      issue('AUTH_ISSUER', 'must be an http(s) URL to discover its keys, or set AUTH_JWKS_URL');
    }
    // Neither a secret nor an identity provider: the API signs a development token (`sub`, HS256,
    // no `aud`), which these would refuse.
    if (!env.AUTH_JWT_SECRET && !usesJwks) {
      if (env.AUTH_AUDIENCE?.length) {
        issue(
          'AUTH_AUDIENCE',
          'needs AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_ISSUER: the development token carries no audience',
        );
      }
      if (env.AUTH_USER_CLAIM !== 'sub') {
        issue(
          'AUTH_USER_CLAIM',
          'needs AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_ISSUER: the development token names its user in `sub`',
        );
      }
      if (algorithms && !algorithms.includes('HS256')) {
        issue(
          'AUTH_ALGORITHMS',
          'lists asymmetric algorithms, which need AUTH_JWKS_URL or AUTH_ISSUER',
        );
      }
    }
    const production = env.NODE_ENV === 'production';
    if (production && !env.AUTH_JWT_SECRET && !usesJwks) {
      issue(
        'AUTH_JWT_SECRET',
        'or AUTH_JWKS_URL / AUTH_ISSUER is required in production; see README "Identity providers"',
      );
    }
    const fetched = env.AUTH_JWKS_URL ?? (usesJwks ? env.AUTH_ISSUER : undefined);
    if (production && fetched && isHttpUrl(fetched) && isPlainHttpRemote(fetched)) {
      issue(env.AUTH_JWKS_URL ? 'AUTH_JWKS_URL' : 'AUTH_ISSUER', 'must use https in production');
    }
  })
  .transform((env): AuthOptions => ({
    ...(env.AUTH_JWT_SECRET && { secret: env.AUTH_JWT_SECRET }),
    ...(env.AUTH_JWKS_URL
      ? { jwks: { url: env.AUTH_JWKS_URL } }
      : env.AUTH_ISSUER && !env.AUTH_JWT_SECRET && { jwks: { issuer: env.AUTH_ISSUER } }),
    ...(env.AUTH_ISSUER && { issuer: env.AUTH_ISSUER }),
    ...(env.AUTH_AUDIENCE?.length && { audience: env.AUTH_AUDIENCE }),
    ...(env.AUTH_ALGORITHMS && { algorithms: env.AUTH_ALGORITHMS }),
    userClaim: env.AUTH_USER_CLAIM,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE,
    authorizationServers: env.AUTH_AUTHORIZATION_SERVERS.length
      ? env.AUTH_AUTHORIZATION_SERVERS
      : env.AUTH_ISSUER && isHttpUrl(env.AUTH_ISSUER) && (env.AUTH_JWKS_URL || !env.AUTH_JWT_SECRET)
        ? [env.AUTH_ISSUER]
        : [],
    ...(env.AUTH_RESOURCE_URL && { resourceUrl: env.AUTH_RESOURCE_URL.replace(/\/+$/, '') }),
    jwksCooldownSeconds: env.AUTH_JWKS_COOLDOWN,
    jwksCacheMaxAgeSeconds: env.AUTH_JWKS_CACHE_MAX_AGE,
  }));

/**
 * Reads the `AUTH_*` variables: the options, or one line per invalid variable saying how to fix
 * it (`config.ts` adds them to its own list).
 */
export function parseAuthEnv(
  env: NodeJS.ProcessEnv,
): { options: AuthOptions; problems?: undefined } | { options?: undefined; problems: string[] } {
  const parsed = authEnvSchema.safeParse(env);
  if (parsed.success) return { options: parsed.data };
  return {
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`,
    ),
  };
}

/** The algorithms a token may use under `options`: the listed ones, else the defaults. */
export function acceptedAlgorithms(options: Pick<AuthOptions, 'algorithms' | 'secret' | 'jwks'>) {
  if (options.algorithms) return options.algorithms;
  return [
    ...(options.jwks ? ASYMMETRIC_ALGORITHMS : []),
    ...(options.secret ? (['HS256'] as const) : []),
  ];
}

/**
 * The options of the shared secret alone, as the server had before identity providers: for
 * callers (and tests) that pass `jwtSecret` and `expectedClaims` rather than {@link AuthOptions}.
 */
export function secretAuthOptions(
  secret: string,
  expected: { issuer?: string; audience?: string } = {},
): AuthOptions {
  return {
    secret,
    ...(expected.issuer && { issuer: expected.issuer }),
    ...(expected.audience && { audience: [expected.audience] }),
    userClaim: 'sub',
    clockToleranceSeconds: 0,
    authorizationServers: [],
  };
}
