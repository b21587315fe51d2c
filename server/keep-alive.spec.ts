import { connect, type Socket } from 'node:net';
import { useTestApi } from '../test/api.ts';

const api = useTestApi();

/** Sends one GET on `socket` and resolves to the status of the whole answer that comes back. */
function get(socket: Socket, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
      if (received.length < end + 4 + length) return;
      socket.off('data', onData).off('close', onClose);
      resolve(Number(head.split(' ')[1]));
    };
    const onClose = () => reject(new Error('the server closed the connection'));
    socket.on('data', onData).once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

it('keeps an idle connection open past Node’s 5 s for the client’s next request', async () => {
  const url = new URL(api.url);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  let closedAt: number | undefined;
  socket.once('close', () => (closedAt = Date.now()));
  try {
    // Any complete answer will do: the question is whether the connection is still there.
    const first = await get(socket, url.host, '/graphql?query=%7B__typename%7D');
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(closedAt).toBeUndefined();
    expect(await get(socket, url.host, '/graphql?query=%7B__typename%7D')).toBe(first);
  } finally {
    socket.destroy();
  }
}, 20_000);
