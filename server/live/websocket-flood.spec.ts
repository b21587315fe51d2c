import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { useTestApi } from '../../test/api.ts';
import { wsUrlOf } from '../../test/live.ts';

// Hardening: a client without a token must not make the server buffer large messages, nor keep
// a socket open without ever sending `connection_init`.

const api = useTestApi();
const MiB = 1024 * 1024;
/** What attackers send, over and over (allocated once, not counted as the server's). */
const chunk = Buffer.alloc(MiB, 'a'.charCodeAt(0));

/** Opens a graphql-ws socket and resolves with the code the server closes it with. */
function openSocket(): { socket: WebSocket; closed: Promise<number>; opened: Promise<void> } {
  const socket = new WebSocket(wsUrlOf(api.url), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  return { socket, closed, opened };
}

/**
 * An attacker's raw WebSocket: it upgrades without a token, announces one `size`-byte text frame
 * and writes all of it but the last MiB, in 1 MiB chunks of the same buffer (mask key 0, so the
 * client allocates nothing), leaving the message unfinished for the server to hold.
 * Resolves with the close code the server sent, if any, once the server ends the connection.
 */
async function flood(
  size: number,
): Promise<{ written: Promise<void>; closeCode: Promise<number>; socket: Socket }> {
  const url = new URL(api.url);
  const socket: Socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  let received = Buffer.alloc(0);
  let upgraded!: () => void;
  const upgrade = new Promise<void>((resolve) => (upgraded = resolve));
  const closeCode = new Promise<number>((resolve) => {
    socket.on('data', (data) => {
      received = Buffer.concat([received, data]);
      const head = received.indexOf('\r\n\r\n');
      if (head < 0) return;
      if (received.subarray(0, 12).toString() === 'HTTP/1.1 101') upgraded();
      // A close frame from the server: 0x88, length, then the 2-byte code.
      const frames = received.subarray(head + 4);
      if (frames.length >= 4 && frames[0] === 0x88) resolve(frames.readUInt16BE(2));
    });
    socket.on('close', () => resolve(-1));
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    [
      `GET ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '',
      '',
    ].join('\r\n'),
  );
  await upgrade;
  const header = Buffer.alloc(14);
  header[0] = 0x81; // FIN, text
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(size), 2);
  // bytes 10..13: mask key 0
  const write = (data: Buffer) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.write(data, () => resolve());
    });
  const written = (async () => {
    await write(header);
    for (let sent = MiB; sent < size && !socket.destroyed; sent += MiB) await write(chunk);
  })();
  return { written, closeCode, socket };
}

const usage = () => process.memoryUsage();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Memory in use once garbage is collected: what the process holds on to. */
const retained = () => {
  gc();
  return usage();
};

it('closes a token-less socket that sends a 2 MB message with 1009 (message too big)', async () => {
  const { socket, closed, opened } = openSocket();
  await opened;
  socket.send('x'.repeat(2 * MiB));
  expect(await closed).toBe(1009);
});

it('does not buffer what token-less sockets send (4 sockets x 24 MB)', async () => {
  const sockets = 4;
  const size = 24 * MiB;
  const before = retained();
  let peakRss = before.rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, usage().rss)), 10);
  const floods = await Promise.all(Array.from({ length: sockets }, () => flood(size)));
  let during;
  try {
    await Promise.all(floods.map((f) => f.written));
    // Let the server read what is in flight, then see what it holds (well within the 3 s
    // connection_init timeout, which would free it anyway).
    await new Promise((resolve) => setTimeout(resolve, 200));
    during = retained();
  } finally {
    clearInterval(sample);
  }
  const codes = await Promise.all(
    floods.map((f) =>
      Promise.race([f.closeCode, new Promise((resolve) => setTimeout(resolve, 1_000, 'open'))]),
    ),
  );
  floods.forEach((f) => f.socket.destroy());
  const sent = sockets * (size - MiB);
  // ws would hold each unfinished message in Buffers: what is held must not grow with what was sent.
  expect(during.arrayBuffers - before.arrayBuffers).toBeLessThan(sent / 4);
  expect(during.heapUsed - before.heapUsed).toBeLessThan(sent / 4);
  expect(peakRss - before.rss).toBeLessThan(100 * MiB);
  expect(codes).toEqual(Array(sockets).fill(1009));
});

it('closes a socket that never sends connection_init with 4408 within the init timeout', async () => {
  const started = Date.now();
  const { closed, opened } = openSocket();
  await opened;
  expect(await closed).toBe(4408);
  expect(Date.now() - started).toBeLessThan(6_000);
});

// An authenticated subscription over WebSocket still works: see subscriptions.spec.ts.
