import WebSocket from 'ws';

/**
 * A process of live benchmark clients: it opens WebSockets to the API, each speaking the
 * graphql-transport-ws protocol by hand (init, then `subscriptions` subscribe messages), and
 * notes when every `next` arrives. Steered over IPC by bench/live/client-pool.ts; a process of
 * its own so that tens of thousands of sockets neither share the benchmark's event loop nor
 * exceed one process's descriptors. Messages are parsed in full, as a browser's client would.
 */

/** Opens sockets; answers `{ opened, failed }`. */
export interface OpenCommand {
  type: 'open';
  url: string;
  /** One entry per socket: the user's token and the label its events' titles carry. */
  sockets: Array<{ token: string; label: string }>;
  subscriptionsPerSocket: number;
  query: string;
  /** The loopback address sockets connect from: one has ~28,000 ephemeral ports. */
  localAddress: string;
}

/** Answers the arrivals of the event with this title so far; `forget` drops them afterwards. */
export interface CollectCommand {
  type: 'collect';
  title: string;
  forget: boolean;
}

/** What the process is asked to do. */
export type ClientCommand = OpenCommand | CollectCommand | { type: 'close' };

interface Arrivals {
  at: number[];
  /** Deliveries of the title to a socket of another user: isolation broken. */
  strangers: number;
}

const arrivals = new Map<string, Arrivals>();
const sockets: WebSocket[] = [];
let closedEarly = 0;
let errorsSeen = 0;

function openOne(command: OpenCommand, token: string, label: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(command.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      localAddress: command.localAddress,
    });
    sockets.push(socket);
    let acknowledged = false;
    socket.on('open', () =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
      ),
    );
    socket.on('message', (data) => {
      const at = Date.now();
      const message = JSON.parse(String(data)) as {
        type: string;
        payload?: { data?: { taskEvents?: { task: { title: string } } }; errors?: unknown[] };
      };
      if (message.type === 'connection_ack') {
        acknowledged = true;
        for (let i = 0; i < command.subscriptionsPerSocket; i++) {
          socket.send(
            JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: command.query } }),
          );
        }
        resolve(true);
      } else if (message.type === 'next') {
        const title = message.payload?.data?.taskEvents?.task.title;
        if (message.payload?.errors) errorsSeen++;
        if (title === undefined) return;
        let seen = arrivals.get(title);
        if (!seen) arrivals.set(title, (seen = { at: [], strangers: 0 }));
        if (title.startsWith(`${label} `)) seen.at.push(at);
        else seen.strangers++;
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.on('close', () => {
      if (acknowledged) closedEarly++;
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

process.on('message', ({ request, command }: { request: number; command: ClientCommand }) => {
  const answer = (value: unknown) => process.send!({ request, value });
  void (async () => {
    if (command.type === 'open') {
      let next = 0;
      let opened = 0;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next < command.sockets.length) {
            const { token, label } = command.sockets[next++]!;
            if (await openOne(command, token, label)) opened++;
          }
        }),
      );
      answer({ opened, failed: command.sockets.length - opened });
    } else if (command.type === 'collect') {
      const seen = arrivals.get(command.title) ?? { at: [], strangers: 0 };
      if (command.forget) arrivals.delete(command.title);
      answer({ ...seen, closedEarly, errorsSeen });
    } else {
      for (const socket of sockets) socket.terminate();
      answer({ closed: sockets.length });
      process.disconnect();
    }
  })();
});
