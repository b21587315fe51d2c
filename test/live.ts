import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One GraphQL result a live subscription delivered, and when it arrived. */
export interface Received<T = Record<string, any>> {
  data: T | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown> }[] | undefined;
  at: number;
}

/** A running subscription: what it received so far, whether it ended, and how to stop it. */
export interface LiveSubscriber<T = Record<string, any>> {
  received: Received<T>[];
  /** Set when the server ended the stream (complete, or an error). */
  ended: boolean;
  stop(): Promise<void>;
}

/** The WebSocket URL of an API's `/graphql` endpoint. */
export const wsUrlOf = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** A graphql-ws client (the real one) signed in with `token`; it does not retry. */
export function wsClient(httpUrl: string, token: string): Client {
  return createClient({
    url: wsUrlOf(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes over graphql-ws and collects every result into `received`. */
export async function wsSubscribe<T = Record<string, any>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<LiveSubscriber<T>> {
  const subscriber: LiveSubscriber<T> = { received: [], ended: false, stop: async () => {} };
  let acknowledged!: () => void;
  let failed!: (error: Error) => void;
  const connected = new Promise<void>((resolve, reject) => {
    acknowledged = resolve;
    failed = reject;
  });
  const offs = [
    client.on('connected', () => acknowledged()),
    client.on('closed', (event) =>
      failed(new Error(`socket closed before connecting: ${(event as CloseEvent).code}`)),
    ),
    client.on('error', (error) =>
      failed(
        new Error(`socket failed: ${(error as { message?: string }).message ?? String(error)}`),
      ),
    ),
  ];
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) =>
        subscriber.received.push({
          data: result.data,
          errors: result.errors as Received['errors'],
          at: Date.now(),
        }),
      error: (error) => {
        subscriber.ended = true;
        const errors = Array.isArray(error) ? error : [{ message: String(error) }];
        subscriber.received.push({ data: undefined, errors, at: Date.now() });
      },
      complete: () => (subscriber.ended = true),
    },
  );
  try {
    await connected;
  } finally {
    offs.forEach((off) => off());
  }
  subscriber.stop = async () => unsubscribe();
  return subscriber;
}

/** Subscribes over Server-Sent Events (yoga's `text/event-stream` transport). */
export async function sseSubscribe<T = Record<string, any>>(
  url: string,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<LiveSubscriber<T> & { status: number }> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const subscriber = {
    status: response.status,
    received: [] as Received<T>[],
    ended: false,
    stop: async () => abort.abort(),
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (event === 'complete') subscriber.ended = true;
          else if (data) {
            const result = JSON.parse(data) as Omit<Received<T>, 'at'>;
            subscriber.received.push({ data: result.data, errors: result.errors, at: Date.now() });
          }
        }
      }
    } catch {
      // aborted by stop()
    }
    subscriber.ended = true;
  })();
  return subscriber;
}
