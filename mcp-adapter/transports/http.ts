/**
 * The MCP adapter over Streamable HTTP, for Node's http server (mounted at `/mcp` by
 * `server/app.ts`). Stateless: every POST gets its own MCP server, bound to the caller's token.
 * No token, no tools: a request without a valid `Authorization: Bearer` token is answered 401
 * before any tool runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { GraphQLTransportError, type GraphQLExecutor } from '../graphql-client.ts';
import { createMcpServer } from '../server.ts';
import { WHO_AM_I } from './who-am-i.ts';

/** What the handler needs from its host. */
export interface McpHttpOptions {
  /** An executor that runs GraphQL documents as the bearer of `token`. */
  graphql(token: string): GraphQLExecutor;
  /**
   * The `WWW-Authenticate` value of a 401, given the request and why the token was refused
   * (none when no token was sent); `Bearer` by default. The API names its RFC 9728 metadata here.
   */
  challenge?(req: IncomingMessage, refusal?: string): string;
  logger?: { error(details: object, message: string): void };
}

function reply(res: ServerResponse, status: number, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

/** A request listener that serves MCP over Streamable HTTP. */
export function createMcpHttpHandler(options: McpHttpOptions) {
  const challenge = options.challenge ?? (() => 'Bearer');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const unauthorized = (message: string, refused = true) =>
      reply(res, 401, message, {
        'www-authenticate': challenge(req, refused ? message : undefined),
      });
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) {
      return unauthorized('Missing credentials: send `Authorization: Bearer <JWT>`.', false);
    }
    const gql = options.graphql(token);
    try {
      const { data, errors } = await gql(WHO_AM_I, {});
      if (errors?.[0]?.extensions?.code === 'IDENTITY_PROVIDER_UNAVAILABLE') {
        return reply(res, 503, errors[0].message, { 'retry-after': '5' });
      }
      if (!data?.me) return unauthorized('The token was not accepted.');
    } catch (error) {
      if (error instanceof GraphQLTransportError && error.kind === 'unauthenticated') {
        return unauthorized(error.message);
      }
      options.logger?.error({ err: error }, 'MCP: the GraphQL API is unavailable');
      return reply(res, 503, 'The task API is unavailable; try again later.');
    }
    if (req.method !== 'POST') {
      return reply(res, 405, 'Method not allowed: this stateless endpoint takes POST only.', {
        allow: 'POST',
      });
    }

    const server = createMcpServer(gql);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.once('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      options.logger?.error({ err: error }, 'MCP request failed');
      if (!res.headersSent) reply(res, 500, 'Internal error.');
    }
  };
}
