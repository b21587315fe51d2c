import { SignJWT } from 'jose';
import { startJwksServer, type JwksServer } from '../../test/jwks-server.ts';
import { refusedTokens } from '../../test/refused-tokens.ts';
import { IdentityProviderUnavailable } from './auth-errors.ts';
import { parseAuthEnv, type AuthOptions } from './auth-options.ts';
import { AuthError, signToken } from './jwt.ts';
import { createTokenVerifier, statusOf, type VerifierTuning } from './verifier.ts';

const AUDIENCE = 'todo-events';
const SECRET = 'verifier-spec-secret-0123456789abcdef0123';
let idp: JwksServer;

beforeAll(async () => {
  idp = await startJwksServer({ audience: AUDIENCE });
});
afterAll(() => idp?.close());
afterEach(() => {
  idp.reachable = true;
});

/** Options as `config.ts` reads them from `env`. */
function optionsOf(env: Record<string, string>): AuthOptions {
  const parsed = parseAuthEnv(env);
  if (!parsed.options) throw new Error(parsed.problems.join('\n'));
  return parsed.options;
}
const verifierOf = (env: Record<string, string>, tuning: VerifierTuning = {}) =>
  createTokenVerifier(optionsOf(env), { rememberMs: 0, ...tuning });
const jwksEnv = () => ({
  AUTH_JWKS_URL: idp.jwksUrl,
  AUTH_ISSUER: idp.issuer,
  AUTH_AUDIENCE: AUDIENCE,
});

describe('tokens from an identity provider (AUTH_JWKS_URL)', () => {
  it.each(['RS256', 'ES256', 'EdDSA'] as const)(
    'accepts %s, naming the user and expiry',
    async (alg) => {
      const claims = idp.claims();
      const principal = await verifierOf(jwksEnv()).verify(await idp.sign(alg, claims));
      expect(principal).toEqual({ userId: claims.sub, expiresAt: new Date(claims.exp! * 1000) });
    },
  );

  it('finds the JWKS through OIDC discovery when only AUTH_ISSUER is set', async () => {
    const verifier = verifierOf({ AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: AUDIENCE });
    const claims = idp.claims();
    await expect(verifier.verify(await idp.sign('ES256', claims))).resolves.toMatchObject({
      userId: claims.sub,
    });
  });

  it('takes the user from AUTH_USER_CLAIM', async () => {
    const verifier = verifierOf({ ...jwksEnv(), AUTH_USER_CLAIM: 'user_id' });
    const token = await idp.sign('RS256', idp.claims({ user_id: 'from-claim' }));
    expect((await verifier.verify(token)).userId).toBe('from-claim');
    await expect(verifier.verify(await idp.sign('RS256', idp.claims()))).rejects.toThrow(
      '`user_id`',
    );
  });

  it('allows AUTH_CLOCK_TOLERANCE seconds of skew on exp', async () => {
    const token = await idp.sign('ES256', idp.claims({ exp: Math.floor(Date.now() / 1000) - 10 }));
    await expect(verifierOf(jwksEnv()).verify(token)).rejects.toThrow('expired');
    await expect(
      verifierOf({ ...jwksEnv(), AUTH_CLOCK_TOLERANCE: '30' }).verify(token),
    ).resolves.toBeTruthy();
  });

  it('accepts HS256 and JWKS tokens side by side during a migration', async () => {
    const verifier = verifierOf({ ...jwksEnv(), AUTH_JWT_SECRET: SECRET });
    const hs256 = await new SignJWT(idp.claims({ sub: 'legacy' }))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    expect((await verifier.verify(hs256)).userId).toBe('legacy');
    await expect(verifier.verify(await idp.sign('EdDSA', idp.claims()))).resolves.toBeTruthy();
  });

  it('keeps development HS256 tokens working with the secret alone', async () => {
    const verifier = verifierOf({ AUTH_JWT_SECRET: SECRET });
    expect((await verifier.verify(await signToken(SECRET, 'dev'))).userId).toBe('dev');
    await expect(verifier.verify(await idp.sign('RS256', idp.claims()))).rejects.toThrow(
      'algorithm RS256 is not allowed',
    );
  });
});

describe('every refusal is an AuthError (401) naming what is wrong', () => {
  const expectRefused = async (token: string, reason: string | RegExp, env = {}) => {
    const error = await verifierOf({ ...jwksEnv(), ...env })
      .verify(token)
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(statusOf(error)).toBe(401);
    expect(error.message).toMatch(reason);
  };

  it.each(refusedTokens(() => idp))('$name', async ({ make, reason }) => {
    await expectRefused(await make(), reason);
  });

  it('no issuer', async () => {
    await expectRefused(await idp.sign('ES256', idp.claims({ iss: undefined })), '`iss`');
  });

  it('an exp past the last Date', async () => {
    await expectRefused(await idp.sign('RS256', idp.claims({ exp: 8.64e12 + 1 })), '`exp`');
  });

  it('an algorithm AUTH_ALGORITHMS does not list', async () => {
    const token = await idp.sign('RS256', idp.claims());
    await expectRefused(token, 'algorithm RS256 is not allowed', {
      AUTH_ALGORITHMS: 'ES256,EdDSA',
    });
  });

  it('alg: NONE with a signature part', async () => {
    const [, payload, signature] = (await idp.sign('RS256', idp.claims())).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'NONE' })).toString('base64url');
    await expectRefused(`${header}.${payload}.${signature}`, '`alg: none`');
  });

  it('a string that is not a JWT', async () => {
    await expectRefused('not-a-jwt', 'not a JWT');
  });
});

describe('key rotation', () => {
  it('follows a new kid with one refetch, and refuses the removed key’s tokens', async () => {
    const verifier = verifierOf(jwksEnv(), { cooldownMs: 0 });
    const before = await idp.sign('EdDSA', idp.claims());
    await verifier.verify(before);
    const fetches = idp.jwksFetches;
    await idp.rotate('EdDSA');
    await expect(verifier.verify(await idp.sign('EdDSA', idp.claims()))).resolves.toBeTruthy();
    expect(idp.jwksFetches).toBe(fetches + 1);
    await expect(verifier.verify(before)).rejects.toThrow('`kid`');
  });

  it('refetches at most once per cooldown for unknown kids', async () => {
    const verifier = verifierOf(jwksEnv(), { cooldownMs: 60_000 });
    await verifier.verify(await idp.sign('ES256', idp.claims()));
    const fetches = idp.jwksFetches;
    const { kid, privateKey } = await idp.unpublishedKey('ES256');
    for (let i = 0; i < 5; i++) {
      const token = await new SignJWT(idp.claims())
        .setProtectedHeader({ alg: 'ES256', kid })
        .sign(privateKey);
      await expect(verifier.verify(token)).rejects.toThrow(AuthError);
    }
    expect(idp.jwksFetches).toBeLessThanOrEqual(fetches + 1);
  });
});

describe('an unreachable identity provider', () => {
  it('still accepts tokens whose key is held, and answers others 503 (retryable)', async () => {
    const verifier = verifierOf(jwksEnv(), { cacheMaxAgeMs: 0, cooldownMs: 0 });
    await verifier.verify(await idp.sign('RS256', idp.claims()));
    idp.reachable = false;
    await expect(verifier.verify(await idp.sign('RS256', idp.claims()))).resolves.toBeTruthy();
    await idp.rotate('ES256', { keep: true });
    const error = await verifier.verify(await idp.sign('ES256', idp.claims())).catch((e) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailable);
    expect(statusOf(error)).toBe(503);
    expect(error.message).toMatch(/could not be fetched.*try again/s);
    expect(verifier.problem).toMatch('could not be fetched');
    await expect(verifier.check()).resolves.toBeUndefined();
    idp.reachable = true;
    await expect(verifier.verify(await idp.sign('ES256', idp.claims()))).resolves.toBeTruthy();
    expect(verifier.problem).toBeUndefined();
  });

  it('answers 503 before any key was fetched, and check() says why', async () => {
    idp.reachable = false;
    const verifier = verifierOf(jwksEnv());
    const error = await verifier.verify(await idp.sign('RS256', idp.claims())).catch((e) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailable);
    await expect(verifier.check()).rejects.toThrow(
      /keys \(http:\/\/127\.0\.0\.1:\d+\/jwks\) could not be fetched/,
    );
    await expect(verifier.verify('not-a-jwt')).rejects.toThrow(AuthError);
  });

  it('answers 503 while OIDC discovery fails, and recovers after the cooldown', async () => {
    idp.reachable = false;
    const verifier = verifierOf(
      { AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: AUDIENCE },
      { cooldownMs: 50 },
    );
    const token = await idp.sign('EdDSA', idp.claims());
    await expect(verifier.verify(token)).rejects.toThrow(IdentityProviderUnavailable);
    await expect(verifier.check()).rejects.toThrow('openid-configuration');
    idp.reachable = true;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(verifier.verify(token)).resolves.toBeTruthy();
    await expect(verifier.check()).resolves.toBeUndefined();
  });
});
