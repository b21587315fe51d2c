import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AuthOptions } from './auth-options.ts';
import {
  mcpResourceUrl,
  metadataUrl,
  protectedResourceMetadata,
  publicBaseUrl,
  wwwAuthenticate,
} from './protected-resource.ts';

type Options = Pick<AuthOptions, 'authorizationServers' | 'resourceUrl'>;

const requestOf = (req: IncomingMessage) => ({
  headers: req.headers,
  encrypted: Boolean((req.socket as TLSSocket).encrypted),
});

/**
 * Serves `GET /.well-known/oauth-protected-resource[/mcp]` (RFC 9728): the MCP endpoint's URL
 * and the authorization servers its clients sign in with. 404 while none is configured (the
 * shared secret alone names no place to sign in). Readable from any origin: browser-based MCP
 * clients fetch it across origins, and it holds nothing secret.
 */
export function protectedResourceHandler(options: Options) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const headers = {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=300',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...headers, 'access-control-allow-methods': 'GET' }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET' }).end('{"error":"GET only"}');
      return;
    }
    if (options.authorizationServers.length === 0) {
      res.writeHead(404, headers).end(
        JSON.stringify({
          error:
            'No authorization server is configured: set AUTH_ISSUER or AUTH_AUTHORIZATION_SERVERS.',
        }),
      );
      return;
    }
    const resource = mcpResourceUrl(publicBaseUrl(options, requestOf(req)));
    res.writeHead(200, headers).end(JSON.stringify(protectedResourceMetadata(options, resource)));
  };
}

/**
 * The `WWW-Authenticate` value of a 401 from `/mcp`: where its metadata is (when an
 * authorization server is configured) and, for a refused token, why it was refused.
 */
export function mcpChallenge(options: Options, req: IncomingMessage, refusal?: string): string {
  const resourceMetadata =
    options.authorizationServers.length > 0
      ? metadataUrl(mcpResourceUrl(publicBaseUrl(options, requestOf(req))))
      : undefined;
  return wwwAuthenticate({ resourceMetadata, refusal });
}
