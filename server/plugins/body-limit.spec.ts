import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { useBodyLimit } from './use-body-limit.ts';

const LIMIT = 1_000;
let server: Server;
let port: number;
let yoga: ReturnType<typeof createYoga>;

beforeAll(async () => {
  yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { echo(text: String!): String! }',
      resolvers: { Query: { echo: (_root, { text }: { text: string }) => text } },
    }),
    maxRequestBodySize: false,
    plugins: [useBodyLimit(LIMIT)],
  });
  server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** POSTs an `echo` of `text`, with a Content-Length or (`chunked`) in two chunks without one. */
function post(text: string, { chunked = false } = {}) {
  const body = JSON.stringify({ query: `{ echo(text: "${text}") }` });
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = httpRequest({ port, path: '/graphql', method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    if (chunked) req.write(body.slice(0, 10));
    req.end(chunked ? body.slice(10) : body);
  });
}

it('answers a body within the limit, with or without a Content-Length', async () => {
  expect(await post('small')).toEqual({ status: 200, body: { data: { echo: 'small' } } });
  expect(await post('small', { chunked: true })).toEqual({
    status: 200,
    body: { data: { echo: 'small' } },
  });
});

it('refuses a body over the limit with 413, with or without a Content-Length', async () => {
  for (const chunked of [false, true]) {
    const response = await post('x'.repeat(LIMIT), { chunked });
    expect(response.status).toBe(413);
    expect(response.body.errors[0].message).toBe('Request body too large');
  }
});

it('refuses a Content-Length that is not one number with 400 (Node refuses it before, over HTTP)', async () => {
  const response = await yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '12, 12' },
    body: JSON.stringify({ query: '{ echo(text: "small") }' }),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as any).errors[0].message).toBe(
    'Content-Length header is invalid.',
  );
});
