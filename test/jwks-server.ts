import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/** The asymmetric algorithms the local identity provider can sign with. */
export type TestAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

interface KeyPair {
  kid: string;
  alg: TestAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A local identity provider: a JWKS, an OIDC discovery document and a token signer. */
export interface JwksServer {
  /** The issuer, also the base URL: `http://127.0.0.1:<port>`. */
  issuer: string;
  /** `${issuer}/jwks`. */
  jwksUrl: string;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  /** Signs `claims` with the newest key of `alg` (or the key `kid`); `header` overrides the header. */
  sign(
    alg: TestAlgorithm,
    claims: JWTPayload,
    options?: { kid?: string; header?: Record<string, unknown> },
  ): Promise<string>;
  /** Claims a valid token carries: this issuer, `audience`, a subject, an hour to live. */
  claims(extra?: JWTPayload): JWTPayload;
  /** Adds a new key of `alg` (newer keys sign by default); drops the older ones unless `keep`. */
  rotate(alg: TestAlgorithm, options?: { keep?: boolean }): Promise<string>;
  /** A key of `alg` the JWKS does not publish: tokens it signs name an unknown `kid`. */
  unpublishedKey(alg: TestAlgorithm): Promise<{ kid: string; privateKey: CryptoKey }>;
  /** While false, every connection is dropped at once, as an unreachable provider's would be. */
  reachable: boolean;
  close(): Promise<void>;
}

let counter = 0;

async function newKey(alg: TestAlgorithm): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    ...(alg === 'EdDSA' && { crv: 'Ed25519' }),
    extractable: true,
  });
  const kid = `${alg.toLowerCase()}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/**
 * Starts a local identity provider on 127.0.0.1 with one key each of RS256, ES256 and EdDSA,
 * serving `/jwks` and `/.well-known/openid-configuration` (complete enough for the MCP SDK's
 * authorization-server discovery). Tokens are made with `sign`.
 */
export async function startJwksServer({
  audience = 'todo-events',
}: { audience?: string } = {}): Promise<JwksServer> {
  let keys = await Promise.all((['RS256', 'ES256', 'EdDSA'] as const).map(newKey));
  let jwksFetches = 0;
  let issuer = '';
  const state = { reachable: true };
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    if (!state.reachable) return void req.socket.destroy();
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/jwks') {
      jwksFetches += 1;
      return json(res, { keys: keys.map((key) => key.publicJwk) });
    }
    if (
      path === '/.well-known/openid-configuration' ||
      path === '/.well-known/oauth-authorization-server'
    ) {
      return json(res, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    get jwksFetches() {
      return jwksFetches;
    },
    get reachable() {
      return state.reachable;
    },
    set reachable(value: boolean) {
      state.reachable = value;
    },
    claims: (extra = {}) => ({
      iss: issuer,
      aud: audience,
      sub: `idp-user-${Math.random().toString(36).slice(2, 10)}`,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
      ...extra,
    }),
    async sign(alg, claims, { kid, header } = {}) {
      const key = kid
        ? keys.find((candidate) => candidate.kid === kid)
        : keys.findLast((candidate) => candidate.alg === alg);
      if (!key) throw new Error(`no key ${kid ?? alg}`);
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT', ...header })
        .sign(key.privateKey);
    },
    async rotate(alg, { keep = false } = {}) {
      const key = await newKey(alg);
      keys = [...keys.filter((old) => keep || old.alg !== alg), key];
      return key.kid;
    },
    async unpublishedKey(alg) {
      const { kid, privateKey } = await newKey(alg);
      return { kid, privateKey };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
