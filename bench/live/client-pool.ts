import { fork, type ChildProcess } from 'node:child_process';
import type { ClientCommand, OpenCommand } from './clients.ts';

/** What the client processes saw of one event. */
export interface Seen {
  /** When each of its user's subscriptions received it (ms since the epoch). */
  at: number[];
  /** Deliveries to another user's subscriptions: must be 0. */
  strangers: number;
  /** Sockets the server closed after acknowledging them, and `next` messages with errors. */
  closedEarly: number;
  errorsSeen: number;
}

/**
 * Benchmark WebSocket clients spread over processes of their own (bench/live/clients.ts), each
 * connecting from its own loopback address, so that one machine can open tens of thousands of
 * sockets to one server port.
 */
export class ClientPool {
  private readonly children: ChildProcess[];

  private constructor(children: ChildProcess[]) {
    this.children = children;
  }

  /** Starts `processes` client processes. */
  static start(processes: number): ClientPool {
    const script = new URL('./clients.ts', import.meta.url).pathname;
    return new ClientPool(
      Array.from({ length: processes }, () =>
        fork(script, [], { stdio: 'inherit' }).setMaxListeners(0),
      ),
    );
  }

  /**
   * Opens the sockets, spread evenly over the processes; each subscribes `subscriptionsPerSocket`
   * times to `query`. Answers how many opened.
   */
  async open(
    url: string,
    sockets: OpenCommand['sockets'],
    subscriptionsPerSocket: number,
    query: string,
  ): Promise<{ opened: number; failed: number }> {
    const answers = await Promise.all(
      this.children.map((child, k) =>
        ask<{ opened: number; failed: number }>(child, {
          type: 'open',
          url,
          sockets: sockets.filter((_, i) => i % this.children.length === k),
          subscriptionsPerSocket,
          query,
          localAddress: `127.0.0.${2 + k}`,
        }),
      ),
    );
    return answers.reduce((sum, a) => ({
      opened: sum.opened + a.opened,
      failed: sum.failed + a.failed,
    }));
  }

  /** What every process saw of the event titled `title`; `forget` drops it in the processes. */
  async seen(title: string, forget = false): Promise<Seen> {
    const answers = await Promise.all(
      this.children.map((child) => ask<Seen>(child, { type: 'collect', title, forget })),
    );
    return answers.reduce((sum, a) => ({
      at: sum.at.concat(a.at),
      strangers: sum.strangers + a.strangers,
      closedEarly: sum.closedEarly + a.closedEarly,
      errorsSeen: sum.errorsSeen + a.errorsSeen,
    }));
  }

  /** Closes every socket and ends the processes. */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.connected) await ask(child, { type: 'close' }).catch(() => {});
        child.kill();
        await exited;
      }),
    );
  }
}

let asked = 0;

/** Sends `command` to a client process and waits for its answer (matched by a request id). */
function ask<T>(child: ChildProcess, command: ClientCommand): Promise<T> {
  const request = ++asked;
  return new Promise<T>((resolve, reject) => {
    const onExit = () => reject(new Error(`client process exited (${child.exitCode})`));
    const onMessage = (answer: { request: number; value: T }) => {
      if (answer.request !== request) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(answer.value);
    };
    child.once('exit', onExit);
    child.on('message', onMessage);
    child.send({ request, command });
  });
}
