import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
} from 'graphql';
import type { WebSocket } from 'ws';
import type { SharedResults } from './shared-operation.ts';

/**
 * A socket holding more unsent bytes than this is not written to by its live subscriptions
 * until it drains below {@link LOW_WATER_BYTES}; meanwhile their events wait in their bounded
 * queues (live-queue.ts), as object references shared with other subscribers, and a subscription
 * whose queue fills up ends with RESYNC_REQUIRED once the socket has drained. So a slow client
 * costs the server at most this many bytes plus its queues, never a copy per event.
 */
export const HIGH_WATER_BYTES = 64 * 1024;
const LOW_WATER_BYTES = 16 * 1024;
const DRAIN_POLL_MS = 25;

/** What one subscription needs to send the shared results of its events. */
export interface LiveStreamOptions {
  socket: WebSocket;
  /** The graphql-ws id of the subscription. */
  id: string;
  args: ExecutionArgs;
  /** Subscribers with equal keys share each event's result (see shareKeyOf). */
  key: string;
  shared: SharedResults;
  /** Formats the result as the client sees it (errors masked, without the HTTP hints). */
  format: (result: ExecutionResult) => FormattedExecutionResult;
}

/** What graphql-ws iterates: it yields nothing, it ends when the stream has sent its last event. */
type Handle = AsyncGenerator<never, void, unknown>;

/**
 * Runs a live subscription whose results are shared: the subscription's events come from its own
 * stream (replay, resync and order as in domain/live-updates.ts); each event is executed once per
 * share key and serialized once, and this subscriber's `next` frame is that payload with its id
 * spliced in, written straight to the socket. graphql-ws still runs the protocol around it: it
 * sends `complete` once the returned stream ends, and returns it when the client completes the
 * subscription or the socket closes. Answers the errors of a refused start as a result, as
 * yoga's subscribe would.
 */
export async function runLiveStream(options: LiveStreamOptions): Promise<Handle | ExecutionResult> {
  const created = await createSourceEventStream(options.args);
  if (!(Symbol.asyncIterator in created)) return created;
  const source = created as AsyncIterable<unknown> & Partial<AsyncGenerator<unknown>>;
  const { socket, args, key, shared } = options;
  const prefix = `{"id":${JSON.stringify(options.id)},"type":"next","payload":`;
  let stopped = false;
  const stop = async () => {
    stopped = true;
    await source.return?.(undefined);
  };
  const payloadOf = (item: unknown) =>
    shared.resultOf(Object(item), key, async () =>
      JSON.stringify(
        // graphql-js runs a subscription's selection for one event this way (mapSourceToResponse).
        options.format((await execute({ ...args, rootValue: item })) as ExecutionResult),
      ),
    );

  const pump = async () => {
    for await (const item of source) {
      const payload = await payloadOf(item);
      if (stopped || socket.readyState !== socket.OPEN) break;
      socket.send(`${prefix}${payload}}`);
      if (socket.bufferedAmount > HIGH_WATER_BYTES) await drained(socket, () => stopped);
    }
  };
  const done = pump();
  // graphql-ws reads the outcome through next(); until then a failure is not unhandled.
  done.catch(() => {});
  const handle: Handle = {
    [Symbol.asyncIterator]: () => handle,
    next: async () => {
      await done;
      return { done: true, value: undefined };
    },
    return: async () => {
      await stop();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      await stop();
      throw error;
    },
    [Symbol.asyncDispose]: stop,
  };
  return handle;
}

/** Waits until `socket` has sent most of what it holds, closed, or the stream stopped. */
async function drained(socket: WebSocket, stopped: () => boolean): Promise<void> {
  while (socket.readyState === socket.OPEN && socket.bufferedAmount > LOW_WATER_BYTES) {
    if (stopped()) return;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
}
