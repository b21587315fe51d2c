import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  auth,
  discoverOAuthProtectedResourceMetadata,
  discoverOAuthServerInfo,
  extractWWWAuthenticateParams,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { startJwksServer, type JwksServer } from '../../test/jwks-server.ts';
import { parseAuthEnv, type AuthOptions } from './auth-options.ts';
import {
  metadataUrl,
  publicBaseUrl,
  wwwAuthenticate,
  isMetadataPath,
} from './protected-resource.ts';
import { mcpChallenge, protectedResourceHandler } from './resource-metadata-handler.ts';

let idp: JwksServer;
let api: { url: string; server: Server };

/**
 * A stand-in for the API's HTTP server, routed as `server/app.ts` is to route once wired: the
 * metadata at its well-known paths, and a 401 with the challenge from `/mcp` without a token.
 */
async function startResource(options: AuthOptions) {
  const metadata = protectedResourceHandler(options);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (isMetadataPath(path)) return metadata(req, res);
    res
      .writeHead(401, {
        'www-authenticate': mcpChallenge(options, req),
        'content-type': 'application/json',
      })
      .end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Missing credentials"},"id":null}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function optionsOf(env: Record<string, string>): AuthOptions {
  const parsed = parseAuthEnv(env);
  if (!parsed.options) throw new Error(parsed.problems.join('\n'));
  return parsed.options;
}

beforeAll(async () => {
  idp = await startJwksServer();
  api = await startResource(optionsOf({ AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: 'todo-events' }));
});
afterAll(async () => {
  await new Promise((resolve) => api?.server.close(resolve));
  await idp?.close();
});

describe('MCP sign-in discovery, read with the MCP SDK’s own client helpers', () => {
  it('a 401 from /mcp names the resource metadata in WWW-Authenticate', async () => {
    const response = await fetch(`${api.url}/mcp`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(extractWWWAuthenticateParams(response).resourceMetadataUrl?.href).toBe(
      `${api.url}/.well-known/oauth-protected-resource/mcp`,
    );
  });

  it('the metadata names /mcp as the resource and the issuer as where to sign in', async () => {
    const metadata = await discoverOAuthProtectedResourceMetadata(`${api.url}/mcp`);
    expect(metadata).toMatchObject({
      resource: `${api.url}/mcp`,
      authorization_servers: [idp.issuer],
      bearer_methods_supported: ['header'],
    });
    const bare = await (await fetch(`${api.url}/.well-known/oauth-protected-resource`)).json();
    expect(bare).toEqual(metadata);
  });

  it('leads the SDK from /mcp to the authorization server’s metadata', async () => {
    const info = await discoverOAuthServerInfo(`${api.url}/mcp`);
    expect(info.authorizationServerUrl).toBe(idp.issuer);
    expect(info.authorizationServerMetadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/authorize`,
    });
  });

  it('takes the SDK’s auth() flow to the sign-in redirect, for the /mcp resource', async () => {
    let redirect: URL | undefined;
    const provider: OAuthClientProvider = {
      redirectUrl: 'http://127.0.0.1:1/callback',
      clientMetadata: { redirect_uris: ['http://127.0.0.1:1/callback'], client_name: 'spec' },
      clientInformation: () => ({ client_id: 'spec-client' }),
      tokens: () => undefined,
      saveTokens: () => undefined,
      redirectToAuthorization: (url) => void (redirect = url),
      saveCodeVerifier: () => undefined,
      codeVerifier: () => 'verifier',
    };
    expect(await auth(provider, { serverUrl: `${api.url}/mcp` })).toBe('REDIRECT');
    expect(redirect?.origin + redirect!.pathname).toBe(`${idp.issuer}/authorize`);
    expect(redirect?.searchParams.get('resource')).toBe(`${api.url}/mcp`);
    expect(redirect?.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('answers 404 and sends a bare challenge while no authorization server is configured', async () => {
    const bare = await startResource(optionsOf({ AUTH_JWT_SECRET: 'x'.repeat(32) }));
    try {
      const metadata = await fetch(`${bare.url}/.well-known/oauth-protected-resource/mcp`);
      expect(metadata.status).toBe(404);
      const response = await fetch(`${bare.url}/mcp`, { method: 'POST' });
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    } finally {
      await new Promise((resolve) => bare.server.close(resolve));
    }
  });
});

describe('the URLs and the challenge', () => {
  it('put the resource path after the well-known path (RFC 9728, 3.1)', () => {
    expect(metadataUrl('https://api.example.com/mcp')).toBe(
      'https://api.example.com/.well-known/oauth-protected-resource/mcp',
    );
    expect(metadataUrl('https://api.example.com/')).toBe(
      'https://api.example.com/.well-known/oauth-protected-resource',
    );
  });

  it('take the public URL from AUTH_RESOURCE_URL, else the request and its proxy', () => {
    const request = { headers: { host: 'api.example.com', 'x-forwarded-proto': 'https' } };
    expect(publicBaseUrl({}, request)).toBe('https://api.example.com');
    expect(publicBaseUrl({}, { headers: { host: 'localhost:4000' } })).toBe(
      'http://localhost:4000',
    );
    const options = optionsOf({
      AUTH_JWT_SECRET: 'x'.repeat(32),
      AUTH_RESOURCE_URL: 'https://tasks.example.com/',
    });
    expect(publicBaseUrl(options, request)).toBe('https://tasks.example.com');
  });

  it('quote the refusal reason safely (RFC 6750 error="invalid_token")', () => {
    expect(
      wwwAuthenticate({
        resourceMetadata: 'https://a/.well-known/oauth-protected-resource/mcp',
        refusal: 'The token’s `aud` is "x"\n',
      }),
    ).toBe(
      'Bearer resource_metadata="https://a/.well-known/oauth-protected-resource/mcp", error="invalid_token", error_description="The token\'s `aud` is \\"x\\" "',
    );
    expect(wwwAuthenticate({})).toBe('Bearer');
  });
});
