import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLExecutor, GraphQLResult } from '../graphql-client.ts';
import { createMcpHttpHandler, type McpHttpOptions } from './http.ts';

/** Serves the handler with an executor that answers every document with `result`. */
async function serve(
  result: GraphQLResult<unknown>,
  options: Partial<McpHttpOptions> = {},
): Promise<{ url: string; server: Server }> {
  const executor = (async () => result) as GraphQLExecutor;
  const server = createServer(createMcpHttpHandler({ graphql: () => executor, ...options }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

const post = (url: string, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: '{}',
  });

describe('MCP over HTTP: refusals', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));
  const start = async (...args: Parameters<typeof serve>) => {
    const started = await serve(...args);
    servers.push(started.server);
    return started.url;
  };

  it('challenges with plain Bearer by default', async () => {
    const url = await start({ data: { me: null }, errors: undefined });
    expect((await post(url)).headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(url, 'refused')).headers.get('www-authenticate')).toBe('Bearer');
  });

  it('asks the host for the challenge, with the refusal only when a token was sent', async () => {
    const challenge = (_req: unknown, refusal?: string) => `Bearer x="${refusal ?? ''}"`;
    const url = await start({ data: { me: null }, errors: undefined }, { challenge });
    const anonymous = await post(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer x=""');
    const refused = await post(url, 'refused');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer x="The token was not accepted."');
  });

  it('answers 503 with Retry-After when the identity provider cannot be reached', async () => {
    const url = await start({
      data: null,
      errors: [
        {
          message: 'The identity provider’s keys could not be fetched.',
          extensions: { code: 'IDENTITY_PROVIDER_UNAVAILABLE' },
        },
      ],
    });
    const response = await post(url, 'maybe-good');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await response.json()).toMatchObject({
      error: { message: 'The identity provider’s keys could not be fetched.' },
    });
  });
});
