import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { startBetterAuthServer, type BetterAuthServer } from '../../test/better-auth-server.ts';
import { IdentityProviderUnavailable } from './auth-errors.ts';
import { parseAuthEnv } from './auth-options.ts';
import { AuthError } from './jwt.ts';
import { createTokenVerifier, type VerifierTuning } from './verifier.ts';

let betterAuth: BetterAuthServer;
let other: BetterAuthServer;

beforeAll(async () => {
  [betterAuth, other] = await Promise.all([startBetterAuthServer(), startBetterAuthServer()]);
});
afterAll(async () => {
  await betterAuth?.close();
  await other?.close();
});

/** A verifier configured as the README's Better Auth section says, plus `env`. */
function verifierFor(env: Record<string, string> = {}, tuning: VerifierTuning = {}) {
  const parsed = parseAuthEnv({
    AUTH_JWKS_URL: betterAuth.jwksUrl,
    AUTH_ISSUER: betterAuth.baseUrl,
    AUTH_AUDIENCE: betterAuth.audience,
    ...env,
  });
  if (!parsed.options) throw new Error(parsed.problems.join('\n'));
  return createTokenVerifier(parsed.options, { rememberMs: 0, ...tuning });
}

describe('a real Better Auth server (JWT plugin, PostgreSQL)', () => {
  it('issues EdDSA tokens for a signed-up user that the API accepts', async () => {
    const user = await betterAuth.signUp('alice');
    const token = await betterAuth.token(user);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    expect(decodeJwt(token)).toMatchObject({
      iss: betterAuth.baseUrl,
      aud: betterAuth.audience,
      sub: user.id,
      exp: expect.any(Number),
    });
    const principal = await verifierFor().verify(token);
    expect(principal.userId).toBe(user.id);
    expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('accepts the JWT of the set-auth-jwt header too', async () => {
    const user = await betterAuth.signUp('bob');
    expect((await verifierFor().verify(await betterAuth.sessionJwt(user))).userId).toBe(user.id);
  });

  it('follows a key rotation once the cooldown has passed, and keeps old tokens in the grace period', async () => {
    const verifier = verifierFor({}, { cooldownMs: 200 });
    const user = await betterAuth.signUp('carol');
    const before = await betterAuth.token(user);
    await verifier.verify(before);
    await betterAuth.rotateKeys();
    const after = await betterAuth.token(user);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await verifier.verify(after)).userId).toBe(user.id);
    expect((await verifier.verify(before)).userId).toBe(user.id);
  });

  it('refuses tokens of a withdrawn key', async () => {
    const verifier = verifierFor({}, { cooldownMs: 0 });
    const user = await betterAuth.signUp('dave');
    const before = await betterAuth.token(user);
    await verifier.verify(before);
    await betterAuth.rotateKeys({ withdraw: true });
    const after = await betterAuth.token(user);
    expect((await verifier.verify(after)).userId).toBe(user.id);
    await expect(verifier.verify(before)).rejects.toThrow('`kid`');
  });

  it('refuses a token from another Better Auth server with 401', async () => {
    const token = await other.token(await other.signUp('mallory'));
    const error = await verifierFor()
      .verify(token)
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('`kid`');
  });

  it('refuses a token for another issuer or audience with 401', async () => {
    const token = await betterAuth.token(await betterAuth.signUp('erin'));
    await expect(verifierFor({ AUTH_ISSUER: other.baseUrl }).verify(token)).rejects.toThrow(
      '`iss`',
    );
    await expect(verifierFor({ AUTH_AUDIENCE: 'another-api' }).verify(token)).rejects.toThrow(
      '`aud`',
    );
  });

  it('publishes no OIDC discovery or OAuth metadata by itself: AUTH_JWKS_URL is needed', async () => {
    // Better Auth's core and JWT plugin serve /api/auth/jwks only; /.well-known/* needs its
    // OAuth provider plugin (@better-auth/oauth-provider), which MCP clients' sign-in requires.
    expect(await discoverAuthorizationServerMetadata(betterAuth.baseUrl)).toBeUndefined();
    const token = await betterAuth.token(await betterAuth.signUp('frank'));
    const parsed = parseAuthEnv({ AUTH_ISSUER: betterAuth.baseUrl });
    const error = await createTokenVerifier(parsed.options!)
      .verify(token)
      .catch((e) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailable);
    expect(error.message).toContain('openid-configuration answered HTTP 404');
  });
});
