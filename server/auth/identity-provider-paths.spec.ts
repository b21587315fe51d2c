import type { Knex } from 'knex';
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { viaHttp, viaMcp, viaSse, viaWebSocket } from '../../test/auth-paths.ts';
import { testKnex } from '../../test/env.ts';
import { startJwksServer, type JwksServer } from '../../test/jwks-server.ts';
import { refusedTokens } from '../../test/refused-tokens.ts';
import { startApiWithAuthEnv } from '../../test/auth-api.ts';
import type { App } from '../app.ts';

const AUDIENCE = 'todo-events';

let knex: Knex;
let idp: JwksServer;
let app: App;

/** The API trusting `idp`, configured as an operator would (AUTH_JWKS_COOLDOWN=0: no waiting). */
function startApi(env: Record<string, string> = {}): Promise<App> {
  return startApiWithAuthEnv(knex, {
    AUTH_JWKS_URL: idp.jwksUrl,
    AUTH_ISSUER: idp.issuer,
    AUTH_AUDIENCE: AUDIENCE,
    ...env,
  });
}

describe('identity provider tokens on every path (HTTP, SSE, WebSocket, /mcp)', () => {
  beforeAll(async () => {
    knex = testKnex(4);
    idp = await startJwksServer({ audience: AUDIENCE });
    app = await startApi();
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.close();
    await knex?.destroy();
  });
  afterEach(() => {
    idp.reachable = true;
  });

  it.each(['RS256', 'ES256', 'EdDSA'] as const)('accepts %s everywhere', async (alg) => {
    const token = await idp.sign(alg, idp.claims());
    expect(await viaHttp(app.url, token)).toMatchObject({ status: 200, data: true });
    expect((await viaSse(app.url, token)).status).toBe(200);
    expect((await viaWebSocket(app.url, token)).outcome).toBe('acknowledged');
    expect(await viaMcp(app.url, token)).toMatchObject({ status: 200, data: true });
  });

  describe.each(refusedTokens(() => idp))('refuses $name', ({ make, reason }) => {
    it('over HTTP with 401, the reason and no data', async () => {
      const answer = await viaHttp(app.url, await make());
      expect(answer).toMatchObject({ status: 401, data: false });
      expect(answer.message).toMatch(reason);
      expect(answer.challenge).toMatch(/^Bearer/);
    });

    it('over SSE with 401 and no data', async () => {
      expect(await viaSse(app.url, await make())).toMatchObject({ status: 401, data: false });
    });

    it('at the WebSocket’s connection_init with 4403', async () => {
      expect(await viaWebSocket(app.url, await make())).toMatchObject({
        outcome: 'refused',
        code: 4403,
      });
    });

    it('on /mcp with 401, no result, and where to sign in', async () => {
      const answer = await viaMcp(app.url, await make());
      expect(answer).toMatchObject({ status: 401, data: false });
      expect(answer.challenge).toContain(
        `resource_metadata="${app.url}/.well-known/oauth-protected-resource/mcp"`,
      );
      expect(answer.challenge).toContain('error="invalid_token"');
    });
  });

  it('closes a WebSocket with 4401 when its token expires', async () => {
    const token = await idp.sign('ES256', idp.claims({ exp: Math.floor(Date.now() / 1000) + 2 }));
    const started = Date.now();
    const closed = await viaWebSocket(app.url, token, { keepOpenMs: 10_000 });
    expect(closed).toMatchObject({ outcome: 'acknowledged', code: 4401 });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('keeps accepting held keys while the provider is down, and answers others 503', async () => {
    await viaHttp(app.url, await idp.sign('RS256', idp.claims()));
    idp.reachable = false;
    const held = await idp.sign('RS256', idp.claims());
    expect((await viaHttp(app.url, held)).status).toBe(200);
    expect((await viaWebSocket(app.url, held)).outcome).toBe('acknowledged');
    expect((await viaMcp(app.url, held)).status).toBe(200);

    await idp.rotate('ES256', { keep: true });
    const unknown = await idp.sign('ES256', idp.claims());
    const http = await viaHttp(app.url, unknown);
    expect(http).toMatchObject({ status: 503, data: false });
    expect(http.message).toMatch(/identity provider/i);
    expect((await viaSse(app.url, unknown)).status).toBe(503);
    expect(await viaWebSocket(app.url, unknown)).toMatchObject({ outcome: 'refused', code: 1013 });
    expect((await viaMcp(app.url, unknown)).status).toBe(503);
  });

  it('says in /ready why it is not ready before any key could be fetched', async () => {
    idp.reachable = false;
    const cold = await startApi();
    try {
      const ready = await fetch(`${cold.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toMatch(/identity provider.*could not be fetched/i);
      idp.reachable = true;
      expect((await fetch(`${cold.url}/ready`)).status).toBe(200);
    } finally {
      await cold.stop();
    }
  });

  it('publishes where MCP clients sign in, as the MCP SDK reads it', async () => {
    const metadata = await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`);
    expect(await metadata.json()).toMatchObject({
      resource: `${app.url}/mcp`,
      authorization_servers: [idp.issuer],
    });
    const info = await discoverOAuthServerInfo(`${app.url}/mcp`);
    expect(info.authorizationServerMetadata?.issuer).toBe(idp.issuer);
    const anonymous = await viaMcp(app.url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.challenge).toBe(
      `Bearer resource_metadata="${app.url}/.well-known/oauth-protected-resource/mcp"`,
    );
  });
});
