import WebSocket from 'ws';
import { wsUrlOf } from './live.ts';

/** How one path answered a token: its status, whether any data came back, and the challenge. */
export interface PathAnswer {
  status: number;
  /** Whether the answer carried any data (a refused token must get none). */
  data: boolean;
  /** The first error's message, when there is one. */
  message?: string;
  /** The `WWW-Authenticate` header. */
  challenge: string | null;
}

const bearer = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/** `{ me { id } }` over HTTP POST /graphql. */
export async function viaHttp(appUrl: string, token?: string): Promise<PathAnswer> {
  const response = await fetch(`${appUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  return {
    status: response.status,
    data: body.data != null,
    message: body.errors?.[0]?.message,
    challenge: response.headers.get('www-authenticate'),
  };
}

/** A `reminders` subscription over Server-Sent Events; the stream is dropped once answered. */
export async function viaSse(appUrl: string, token?: string): Promise<PathAnswer> {
  const abort = new AbortController();
  const response = await fetch(`${appUrl}/graphql`, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify({ query: 'subscription { reminders { id } }' }),
    signal: abort.signal,
  });
  let text = '';
  if (response.status !== 200) text = await response.text();
  abort.abort();
  const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  return {
    status: response.status,
    data: /"data":\{/.test(text),
    message: message && (JSON.parse(`"${message}"`) as string),
    challenge: response.headers.get('www-authenticate'),
  };
}

/**
 * A graphql-ws connection with `token` in `connectionParams`: `'acknowledged'` once the server
 * accepts it (the socket then stays open until `keepOpenMs` has passed or the server closes it,
 * whose code is returned), or the code the server closed it with at `connection_init`.
 */
export function viaWebSocket(
  appUrl: string,
  token: string,
  { keepOpenMs = 0 }: { keepOpenMs?: number } = {},
): Promise<{ outcome: 'acknowledged' | 'refused'; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrlOf(`${appUrl}/graphql`), 'graphql-transport-ws');
    let acknowledged = false;
    socket.on('open', () =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
      ),
    );
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      acknowledged = true;
      if (keepOpenMs === 0) {
        resolve({ outcome: 'acknowledged' });
        socket.close();
      } else {
        setTimeout(() => socket.close(), keepOpenMs).unref();
      }
    });
    socket.on('close', (code, reason) =>
      resolve({
        outcome: acknowledged ? 'acknowledged' : 'refused',
        code,
        reason: reason.toString(),
      }),
    );
    socket.on('error', reject);
  });
}

/** A JSON-RPC `tools/list` POSTed to /mcp, as an MCP client's first request after sign-in. */
export async function viaMcp(appUrl: string, token?: string): Promise<PathAnswer> {
  const response = await fetch(`${appUrl}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...bearer(token),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    result?: unknown;
    error?: { message: string };
  };
  return {
    status: response.status,
    data: body.result != null,
    message: body.error?.message,
    challenge: response.headers.get('www-authenticate'),
  };
}
