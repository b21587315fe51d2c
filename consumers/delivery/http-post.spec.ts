import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DestinationRefusedError, httpPost, RequestTimeoutError } from './http-post.ts';

let server: Server;
let port: number;
const requests: { method?: string; url?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    requests.push({
      method: request.method,
      url: request.url,
      body: Buffer.concat(chunks).toString(),
    });
    if (request.url === '/redirect') {
      response.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
    } else if (request.url === '/slow') {
      setTimeout(() => response.end('late'), 2_000).unref();
    } else if (request.url === '/endless') {
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pour = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pour);
      };
      pour();
    } else {
      response.writeHead(201).end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => void requests.splice(0));

const post = (url: string, allowPrivateAddresses: boolean, timeoutMs = 2_000) =>
  httpPost(url, {
    headers: { 'content-type': 'text/plain' },
    body: 'hello',
    timeoutMs,
    allowPrivateAddresses,
  });

it('posts the body and answers with the status when private destinations are allowed', async () => {
  const result = await post(`http://127.0.0.1:${port}/hook`, true);
  expect(result.status).toBe(201);
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
  expect(requests).toEqual([{ method: 'POST', url: '/hook', body: 'hello' }]);
});

it.each([
  ['a loopback IP literal', () => `http://127.0.0.1:${port}/hook`],
  ['a host name resolving to loopback', () => `http://localhost:${port}/hook`],
  ['an IPv6 loopback literal', () => `http://[::1]:${port}/hook`],
  ['an IPv4-mapped loopback literal', () => `http://[::ffff:127.0.0.1]:${port}/hook`],
])('refuses %s unless allowed, saying how to allow it', async (_what, url) => {
  const refused = post(url(), false);
  await expect(refused).rejects.toThrow(DestinationRefusedError);
  await expect(refused).rejects.toThrow(/DELIVERY_ALLOW_PRIVATE_ADDRESSES/);
  expect(requests).toHaveLength(0);
});

it('does not follow a redirect: a 302 is its status', async () => {
  const result = await post(`http://127.0.0.1:${port}/redirect`, true);
  expect(result.status).toBe(302);
  expect(requests.map((request) => request.url)).toEqual(['/redirect']);
});

it('gives up on a destination that does not answer in time', async () => {
  await expect(post(`http://127.0.0.1:${port}/slow`, true, 200)).rejects.toThrow(
    RequestTimeoutError,
  );
});

it('reads no more than a bounded part of an answer: an endless body does not hold it', async () => {
  const result = await post(`http://127.0.0.1:${port}/endless`, true, 5_000);
  expect(result.status).toBe(200);
});

it('rejects an unusable URL and a refused connection without crashing', async () => {
  await expect(post('not a url', true)).rejects.toThrow();
  await expect(post('ftp://127.0.0.1/x', true)).rejects.toThrow(TypeError);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await expect(post(`http://127.0.0.1:${closedPort}/`, true)).rejects.toThrow(/ECONNREFUSED/);
});
