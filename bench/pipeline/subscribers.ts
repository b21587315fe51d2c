import type { Client } from 'graphql-ws';
import { wsClient, wsSubscribe, type LiveSubscriber } from '../../test/live.ts';

const TASK_EVENTS = 'subscription { taskEvents { id type task { id } } }';

/** One `taskEvents` subscription per user over graphql-ws, as a browser tab would hold. */
export interface TaskEventSubscribers {
  /** When a subscriber first received an event about each task (wall clock, ms). */
  receivedAt(): Map<string, number>;
  /** Errors the streams delivered, and how many streams the server ended. */
  problems(): { errors: string[]; ended: number };
  stop(): Promise<void>;
}

/** Subscribes each token's user to `taskEvents` on the API at `httpUrl` (its /graphql). */
export async function subscribeTaskEvents(
  httpUrl: string,
  tokens: string[],
): Promise<TaskEventSubscribers> {
  const clients: Client[] = [];
  const subscribers: LiveSubscriber[] = [];
  for (const token of tokens) {
    const client = wsClient(httpUrl, token);
    clients.push(client);
    subscribers.push(await wsSubscribe(client, TASK_EVENTS));
  }
  return {
    receivedAt() {
      const first = new Map<string, number>();
      for (const subscriber of subscribers)
        for (const { data, at } of subscriber.received) {
          const taskId = data?.taskEvents?.task?.id as string | undefined;
          if (taskId && !first.has(taskId)) first.set(taskId, at);
        }
      return first;
    },
    problems() {
      const errors = subscribers.flatMap((s) =>
        s.received.flatMap((r) => (r.errors ?? []).map((e) => e.message)),
      );
      return { errors, ended: subscribers.filter((s) => s.ended).length };
    },
    async stop() {
      await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
