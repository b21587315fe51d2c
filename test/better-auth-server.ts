import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins/jwt';
import pg from 'pg';
import { requireTestEnv } from './env.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from './postgres.ts';

/** A user signed up on the Better Auth server, with its session cookie. */
export interface BetterAuthUser {
  id: string;
  email: string;
  /** The session cookie (`better-auth.session_token=…`) the sign-up set. */
  cookie: string;
}

/** A real Better Auth server (email and password, JWT plugin) on 127.0.0.1. */
export interface BetterAuthServer {
  /** `http://127.0.0.1:<port>`: Better Auth's base URL, and the `iss` of its tokens. */
  baseUrl: string;
  /** `${baseUrl}/api/auth/jwks`: the keys its tokens are signed with (EdDSA by default). */
  jwksUrl: string;
  /** The `aud` its tokens carry. */
  audience: string;
  /** Signs a new user up over HTTP (`POST /api/auth/sign-up/email`). */
  signUp(label?: string): Promise<BetterAuthUser>;
  /** A JWT for `user`'s session from `GET /api/auth/token`. */
  token(user: BetterAuthUser): Promise<string>;
  /** A JWT for `user`'s session from the `set-auth-jwt` header of `GET /api/auth/get-session`. */
  sessionJwt(user: BetterAuthUser): Promise<string>;
  /**
   * Rotates the signing key as `jwks.rotationInterval` does when it runs out: the current keys
   * expire, so the next token is signed with a new key; the old ones stay published (grace
   * period) unless `withdraw` removes them, as deleting a compromised key would.
   */
  rotateKeys(options?: { withdraw?: boolean }): Promise<void>;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

let users = 0;

/**
 * Starts Better Auth with its JWT plugin on a database of its own, created on the run's
 * PostgreSQL server and migrated with Better Auth's own migrations, served by `node:http`.
 */
export async function startBetterAuthServer({
  audience = 'todo-events',
  keyPairConfig,
}: {
  audience?: string;
  /** The JWT plugin's key type; Ed25519 (EdDSA) by default. */
  keyPairConfig?: { alg: 'ES256' } | { alg: 'RS256'; modulusLength?: number };
} = {}): Promise<BetterAuthServer> {
  const postgres = requireTestEnv('TEST_POSTGRES_SERVER_URL');
  const database = uniqueDatabaseName('better_auth');
  const pool = new pg.Pool({ connectionString: await createDatabase(postgres, database), max: 4 });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const options = {
    baseURL: baseUrl,
    secret: 'better-auth-test-secret-0123456789abcdef-0123456789',
    database: pool,
    emailAndPassword: { enabled: true, autoSignIn: true },
    telemetry: { enabled: false },
    logger: { disabled: true },
    plugins: [jwt({ jwt: { issuer: baseUrl, audience }, jwks: { keyPairConfig } })],
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  const auth = betterAuth(options);
  server.on('request', toNodeHandler(auth));

  const api = (path: string) => `${baseUrl}/api/auth${path}`;
  const expectOk = async (response: Response, what: string) => {
    if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };

  return {
    baseUrl,
    jwksUrl: api('/jwks'),
    audience,
    async signUp(label = 'user') {
      const email = `${label}-${++users}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const response = await expectOk(
        await fetch(api('/sign-up/email'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: baseUrl },
          body: JSON.stringify({ email, password: 'correct horse battery staple', name: label }),
        }),
        'sign-up',
      );
      const { user } = (await response.json()) as { user: { id: string } };
      const cookie = response.headers
        .getSetCookie()
        .map((header) => header.split(';')[0])
        .join('; ');
      return { id: user.id, email, cookie };
    },
    async token(user) {
      const response = await expectOk(
        await fetch(api('/token'), { headers: { cookie: user.cookie } }),
        'token',
      );
      return ((await response.json()) as { token: string }).token;
    },
    async sessionJwt(user) {
      const response = await expectOk(
        await fetch(api('/get-session'), { headers: { cookie: user.cookie } }),
        'get-session',
      );
      const jwt = response.headers.get('set-auth-jwt');
      if (!jwt) throw new Error('get-session set no set-auth-jwt header');
      return jwt;
    },
    async rotateKeys({ withdraw = false } = {}) {
      await pool.query(
        withdraw
          ? 'DELETE FROM jwks'
          : `UPDATE jwks SET "expiresAt" = now() - interval '1 second' WHERE "expiresAt" IS NULL OR "expiresAt" > now()`,
      );
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
      await dropDatabase(postgres, database);
    },
  };
}
