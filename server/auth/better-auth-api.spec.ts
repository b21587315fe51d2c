import type { Knex } from 'knex';
import { viaHttp, viaWebSocket } from '../../test/auth-paths.ts';
import { startBetterAuthServer, type BetterAuthServer } from '../../test/better-auth-server.ts';
import { testKnex } from '../../test/env.ts';
import { wsClient } from '../../test/live.ts';
import { callTool, httpClient } from '../../test/mcp.ts';
import { startApiWithAuthEnv } from '../../test/auth-api.ts';
import type { App } from '../app.ts';

let knex: Knex;
let betterAuth: BetterAuthServer;
let other: BetterAuthServer;
let app: App;

/** The API configured as the README's Better Auth section says, plus `env`. */
function startApi(env: Record<string, string> = {}): Promise<App> {
  return startApiWithAuthEnv(knex, {
    AUTH_JWKS_URL: betterAuth.jwksUrl,
    AUTH_ISSUER: betterAuth.baseUrl,
    AUTH_AUDIENCE: betterAuth.audience,
    ...env,
  });
}

/** `{ me { id } }` as the bearer of `token`, over HTTP. */
async function me(token: string): Promise<string | undefined> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  return ((await response.json()) as { data?: { me?: { id: string } } }).data?.me?.id;
}

describe('a real Better Auth server signs users in to the API', () => {
  beforeAll(async () => {
    knex = testKnex(4);
    [betterAuth, other] = await Promise.all([startBetterAuthServer(), startBetterAuthServer()]);
    app = await startApi();
  });
  afterAll(async () => {
    await app?.stop();
    await betterAuth?.close();
    await other?.close();
    await knex?.destroy();
  });

  it('a signed-up user calls GraphQL over HTTP with the JWT Better Auth issued', async () => {
    const user = await betterAuth.signUp('http');
    expect(await me(await betterAuth.token(user))).toBe(user.id);
    expect(await me(await betterAuth.sessionJwt(user))).toBe(user.id);
  });

  it('opens a WebSocket subscription with it', async () => {
    const user = await betterAuth.signUp('ws');
    const client = wsClient(`${app.url}/graphql`, await betterAuth.token(user));
    try {
      const results = client.iterate<{ me: { id: string } }>({ query: '{ me { id } }' });
      expect((await results.next()).value?.data?.me.id).toBe(user.id);
    } finally {
      await client.dispose();
    }
  });

  it('calls an MCP tool with it', async () => {
    const user = await betterAuth.signUp('mcp');
    const { client, close } = await httpClient(app.url, await betterAuth.token(user));
    try {
      const added = await callTool(client, 'add_task', { title: 'Signed in with Better Auth' });
      expect(added.isError).toBe(false);
      const listed = await callTool(client, 'list_tasks');
      expect(listed.text).toContain('Signed in with Better Auth');
    } finally {
      await close();
    }
  });

  it('follows Better Auth’s key rotation', async () => {
    const user = await betterAuth.signUp('rotation');
    const before = await betterAuth.token(user);
    expect(await me(before)).toBe(user.id);
    await betterAuth.rotateKeys();
    expect(await me(await betterAuth.token(user))).toBe(user.id);
    expect(await me(before)).toBe(user.id);

    // Another user's token: one never presented, so the API holds no memory of accepting it.
    const unused = await betterAuth.token(await betterAuth.signUp('unused'));
    await betterAuth.rotateKeys({ withdraw: true });
    expect(await me(await betterAuth.token(user))).toBe(user.id);
    expect((await viaHttp(app.url, unused)).status).toBe(401);
  });

  it('refuses a token from another issuer with 401 on HTTP and 4403 on the WebSocket', async () => {
    const token = await other.token(await other.signUp('stranger'));
    expect(await viaHttp(app.url, token)).toMatchObject({ status: 401, data: false });
    expect(await viaWebSocket(app.url, token)).toMatchObject({ outcome: 'refused', code: 4403 });
  });

  it('refuses a token for another audience with 401', async () => {
    const strict = await startApi({ AUTH_AUDIENCE: 'another-api' });
    try {
      const token = await betterAuth.token(await betterAuth.signUp('audience'));
      const answer = await viaHttp(strict.url, token);
      expect(answer).toMatchObject({ status: 401, data: false });
      expect(answer.message).toContain('`aud`');
    } finally {
      await strict.stop();
    }
  });
});
