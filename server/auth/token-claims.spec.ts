import type { Knex } from 'knex';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import WebSocket from 'ws';
import { testKnex, uniqueUserId } from '../../test/env.ts';
import { wsUrlOf } from '../../test/live.ts';
import { buildApp, type App, type AppOptions } from '../app.ts';
import { secretAuthOptions } from './auth-options.ts';
import { AuthError } from './jwt.ts';
import { createTokenVerifier } from './verifier.ts';

const SECRET = 'token-claims-spec-secret-0123456789abcdef';
const ISSUER = 'https://issuer.example.com';
const AUDIENCE = 'todo-events';
const encoder = new TextEncoder();
/** The verifier every path uses, for the secret and (when given) the expected claims. */
const verifyToken = (token: string, secret: string, expected = {}) =>
  createTokenVerifier(secretAuthOptions(secret, expected), { rememberMs: 0 }).verify(token);
const now = () => Math.floor(Date.now() / 1000);
/** The largest `exp` a JavaScript Date holds: 8.64e15 ms after 1970, in seconds. */
const LAST_DATE_SECONDS = 8.64e12;

/** An HS256 token with exactly these claims. */
const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(encoder.encode(SECRET));
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: uniqueUserId('claims'),
  iat: now(),
  exp: now() + 3600,
  ...extra,
});

let knex: Knex;
let plain: App;
let strict: App;
const start = (options: Partial<AppOptions>) =>
  buildApp({
    knex,
    logger: pino({ level: 'silent' }),
    jwtSecret: SECRET,
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
    ...options,
  }).start();

beforeAll(async () => {
  knex = testKnex(2);
  plain = await start({});
  strict = await start({ expectedClaims: { issuer: ISSUER, audience: AUDIENCE } });
});
afterAll(async () => {
  await plain?.stop();
  await strict?.stop();
  await knex?.destroy();
});

/** POSTs `{ me { id } }` with `token`; the status and the first error's message. */
async function me(app: App, token: string) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
  return { status: response.status, id: body.data?.me?.id, error: body.errors?.[0]?.message };
}

/** Opens a graphql-ws socket with `token`: `'acknowledged'`, or the code it was closed with. */
const socketWith = (app: App, token: string) =>
  new Promise<number | 'acknowledged'>((resolve, reject) => {
    const socket = new WebSocket(wsUrlOf(`${app.url}/graphql`), 'graphql-transport-ws');
    socket.on('open', () =>
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${token}` },
        }),
      ),
    );
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type !== 'connection_ack') return;
      resolve('acknowledged');
      socket.close();
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });

describe('a token without exp (it was accepted forever, and its socket never closed)', () => {
  it('is refused on HTTP with 401, naming the missing claim', async () => {
    const token = await sign(claims({ exp: undefined }));
    const answer = await me(plain, token);
    expect(answer.status).toBe(401);
    expect(answer.error).toContain('`exp`');
    await expect(verifyToken(token, SECRET)).rejects.toThrow(AuthError);
  });

  it('is refused on a WebSocket at connection_init', async () => {
    expect(await socketWith(plain, await sign(claims({ exp: undefined })))).toBe(4403);
  });
});

describe('an exp beyond the dates JavaScript can represent (its socket expiry timer re-armed every millisecond)', () => {
  it('is refused on HTTP and on a WebSocket, naming the claim', async () => {
    for (const exp of [LAST_DATE_SECONDS + 1, 1e300]) {
      const token = await sign(claims({ exp }));
      expect(await socketWith(plain, token)).toBe(4403);
      const answer = await me(plain, token);
      expect(answer.status).toBe(401);
      expect(answer.error).toContain('`exp`');
      await expect(verifyToken(token, SECRET)).rejects.toThrow('`exp`');
    }
  });

  it('still accepts the last representable date', async () => {
    const token = await sign(claims({ exp: LAST_DATE_SECONDS }));
    expect((await verifyToken(token, SECRET)).expiresAt.getTime()).toBe(LAST_DATE_SECONDS * 1000);
    expect(await socketWith(plain, token)).toBe('acknowledged');
  });
});

describe('AUTH_ISSUER and AUTH_AUDIENCE', () => {
  const expected = { issuer: ISSUER, audience: AUDIENCE };

  it.each([
    ['no iss', { aud: AUDIENCE }, '`iss`'],
    ['another issuer', { iss: 'https://evil.example.com', aud: AUDIENCE }, '`iss`'],
    ['no aud', { iss: ISSUER }, '`aud`'],
    ['another audience', { iss: ISSUER, aud: 'another-service' }, '`aud`'],
  ])('refuse a token with %s, on HTTP and on a WebSocket', async (_name, extra, claim) => {
    const token = await sign(claims(extra));
    await expect(verifyToken(token, SECRET, expected)).rejects.toThrow(claim);
    const answer = await me(strict, token);
    expect(answer.status).toBe(401);
    expect(answer.error).toContain(claim);
    expect(await socketWith(strict, token)).toBe(4403);
  });

  it('accept a token with the expected iss and one of its aud', async () => {
    const payload = claims({ iss: ISSUER, aud: ['another-service', AUDIENCE] });
    const token = await sign(payload);
    expect(await me(strict, token)).toMatchObject({ status: 200, id: payload.sub });
    expect(await socketWith(strict, token)).toBe('acknowledged');
  });

  it('are not checked when unset', async () => {
    const payload = claims({ iss: 'https://anyone.example.com', aud: 'anything' });
    expect(await me(plain, await sign(payload))).toMatchObject({ status: 200, id: payload.sub });
  });
});
