import { acceptedAlgorithms, ASYMMETRIC_ALGORITHMS, parseAuthEnv } from './auth-options.ts';

const SECRET = 'auth-options-spec-secret-0123456789abcdef';
const problemsOf = (env: Record<string, string>) => parseAuthEnv(env).problems ?? [];

describe('the AUTH_* variables', () => {
  it('read a JWKS URL, issuer, audiences, algorithms, user claim and tolerance', () => {
    expect(
      parseAuthEnv({
        AUTH_JWKS_URL: 'https://auth.example.com/api/auth/jwks',
        AUTH_ISSUER: 'https://auth.example.com',
        AUTH_AUDIENCE: 'todo-events, https://api.example.com',
        AUTH_ALGORITHMS: 'EdDSA,ES256',
        AUTH_USER_CLAIM: 'user_id',
        AUTH_CLOCK_TOLERANCE: '30',
      }).options,
    ).toEqual({
      jwks: { url: 'https://auth.example.com/api/auth/jwks' },
      issuer: 'https://auth.example.com',
      audience: ['todo-events', 'https://api.example.com'],
      algorithms: ['EdDSA', 'ES256'],
      userClaim: 'user_id',
      clockToleranceSeconds: 30,
      authorizationServers: ['https://auth.example.com'],
      jwksCooldownSeconds: 5,
      jwksCacheMaxAgeSeconds: 600,
    });
  });

  it('discover the JWKS from AUTH_ISSUER when there is neither a JWKS URL nor a secret', () => {
    const { options } = parseAuthEnv({ AUTH_ISSUER: 'https://tenant.auth0.com/' });
    expect(options?.jwks).toEqual({ issuer: 'https://tenant.auth0.com/' });
    expect(acceptedAlgorithms(options!)).toEqual(ASYMMETRIC_ALGORITHMS);
  });

  it('keep the shared secret alone as before: AUTH_ISSUER then only checks iss', () => {
    const { options } = parseAuthEnv({ AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: 'todo-issuer' });
    expect(options).toMatchObject({ secret: SECRET, issuer: 'todo-issuer', userClaim: 'sub' });
    expect(options?.jwks).toBeUndefined();
    expect(acceptedAlgorithms(options!)).toEqual(['HS256']);
    const https = parseAuthEnv({
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: 'https://issuer.example.com',
    });
    expect(https.options?.authorizationServers).toEqual([]);
  });

  it('take both during a migration', () => {
    const { options } = parseAuthEnv({
      AUTH_JWT_SECRET: SECRET,
      AUTH_JWKS_URL: 'https://idp/jwks',
    });
    expect(acceptedAlgorithms(options!)).toEqual([...ASYMMETRIC_ALGORITHMS, 'HS256']);
  });

  it.each([
    [{ AUTH_ALGORITHMS: 'HS256' }, 'AUTH_ALGORITHMS lists HS256, which needs AUTH_JWT_SECRET'],
    [{ AUTH_ALGORITHMS: 'RS256,none' }, 'unknown algorithm(s) none'],
    [{ AUTH_JWT_SECRET: SECRET, AUTH_ALGORITHMS: 'RS256' }, 'AUTH_JWT_SECRET is set but'],
    [{ AUTH_JWKS_URL: 'ftp://idp/jwks' }, 'AUTH_JWKS_URL must be an http(s) URL'],
    [{ AUTH_ISSUER: 'my-issuer' }, 'AUTH_ISSUER must be an http(s) URL to discover its keys'],
    [{ AUTH_CLOCK_TOLERANCE: 'soon' }, 'AUTH_CLOCK_TOLERANCE must be a number of seconds'],
    [{ AUTH_JWT_SECRET: 'short' }, 'at least 32 characters'],
    [{ NODE_ENV: 'production' }, 'or AUTH_JWKS_URL / AUTH_ISSUER is required in production'],
    [
      { NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp.internal/jwks' },
      'AUTH_JWKS_URL must use https in production',
    ],
    [{ AUTH_AUTHORIZATION_SERVERS: 'https://a, not-a-url' }, 'must list http(s) URLs'],
    [
      { AUTH_AUDIENCE: 'todo' },
      'AUTH_AUDIENCE needs AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_ISSUER',
    ],
    [{ AUTH_USER_CLAIM: 'email' }, 'AUTH_USER_CLAIM needs AUTH_JWT_SECRET, AUTH_JWKS_URL or'],
    [{ AUTH_ALGORITHMS: 'RS256' }, 'AUTH_ALGORITHMS lists asymmetric algorithms, which need'],
  ])('refuse %j', (env, problem) => {
    expect(problemsOf(env).join('\n')).toContain(problem);
  });

  it('allow plain http to a loopback identity provider in production', () => {
    expect(
      problemsOf({ NODE_ENV: 'production', AUTH_JWKS_URL: 'http://127.0.0.1:3000/api/auth/jwks' }),
    ).toEqual([]);
  });
});
