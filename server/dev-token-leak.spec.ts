import type { Knex } from 'knex';
import { pino } from 'pino';
import { testKnex } from '../test/env.ts';
import { buildApp, type App, type AppOptions } from './app.ts';
import { signToken } from './auth/jwt.ts';

const SECRET = 'dev-token-leak-spec-secret-0123456789abcdef';
const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example.com';

let knex: Knex;
const apps: App[] = [];
const start = async (options: Partial<AppOptions>) => {
  const app = await buildApp({
    knex,
    logger: pino({ level: 'silent' }),
    jwtSecret: SECRET,
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
    ...options,
  }).start();
  apps.push(app);
  return app;
};
beforeAll(() => {
  knex = testKnex(2);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await knex?.destroy();
});

/** A cross-origin `fetch` from a page at `origin`: the CORS headers the browser would check. */
async function fromPage(app: App, origin: string, init: RequestInit = {}) {
  const response = await fetch(`${app.url}/graphql`, {
    ...init,
    headers: { origin, ...init.headers },
  });
  await response.arrayBuffer();
  return {
    status: response.status,
    allowOrigin: response.headers.get('access-control-allow-origin'),
    allowCredentials: response.headers.get('access-control-allow-credentials'),
    allowHeaders: response.headers.get('access-control-allow-headers'),
  };
}
const preflight = (app: App, origin: string) =>
  fromPage(app, origin, {
    method: 'OPTIONS',
    headers: {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
const query = (token: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ query: '{ me { id } }' }),
});

it('GraphiQL, served to anyone at GET /graphql, embeds no token', async () => {
  const token = await signToken(SECRET, 'dev-user');
  // Given the development token as the API role has been giving it.
  const app = await start({ graphiql: true, graphiqlToken: token } as Partial<AppOptions>);
  const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
  const page = await response.text();
  expect(response.status).toBe(200);
  expect(page).toContain('GraphiQL');
  expect(page).not.toContain(token);
  expect(page).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
});

it('a page on another origin cannot read the API: no CORS headers unless configured', async () => {
  const app = await start({ graphiql: true });
  const token = await signToken(SECRET, 'dev-user');
  for (const answer of [
    await fromPage(app, EVIL, { headers: { accept: 'text/html' } }),
    await fromPage(app, EVIL, query(token)),
    await preflight(app, EVIL),
  ]) {
    expect(answer.allowOrigin).toBeNull();
    expect(answer.allowCredentials).toBeNull();
  }
});

it('CORS_ORIGINS lets exactly the listed origins read responses, without credentials', async () => {
  const app = await start({ corsOrigins: [ALLOWED, 'http://localhost:5173'] });
  const token = await signToken(SECRET, 'dev-user');
  expect(await fromPage(app, ALLOWED, query(token))).toMatchObject({
    status: 200,
    allowOrigin: ALLOWED,
    allowCredentials: null,
  });
  const allowed = await preflight(app, ALLOWED);
  expect(allowed.allowOrigin).toBe(ALLOWED);
  expect(allowed.allowHeaders?.toLowerCase()).toContain('authorization');
  for (const answer of [
    await fromPage(app, EVIL, query(token)),
    await preflight(app, EVIL),
    await fromPage(app, 'null', query(token)),
  ]) {
    expect(answer.allowOrigin).toBeNull();
  }
});
