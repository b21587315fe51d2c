import { wsClient, wsSubscribe, type LiveSubscriber } from '../../test/live.ts';

const REMINDERS = `subscription { reminders { id task { id } } }`;

/** One connection of a subscriber: from its acknowledgement until the server ended it. */
export interface Session {
  userId: string;
  /** The subscriber (one client that reconnects) this connection belongs to. */
  subscriber: number;
  connectedAt: number;
  /** When the stream ended (the API went away, or the server ended it); unset while open. */
  endedAt?: number;
  /** Set when the server ended the stream with a coded error, e.g. RESYNC_REQUIRED. */
  toldToReload: boolean;
  /** The reminder ids received, in order, duplicates included. */
  reminderIds: string[];
}

/** A user the subscribers listen as. */
export interface ListeningUser {
  userId: string;
  token: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps `perUser` graphql-ws subscribers to `reminders` per user connected to the API at its
 * current `url()`: each reconnects (a new {@link Session}) whenever its connection ends, as a
 * client with retries would. `stop()` closes them all and resolves to every session.
 */
export function startSubscribers(
  users: ListeningUser[],
  perUser: number,
  url: () => string,
): { sessions: Session[]; stop(): Promise<Session[]> } {
  const sessions: Session[] = [];
  let running = true;
  let current: LiveSubscriber[] = [];

  const subscriber = async (user: ListeningUser, number: number) => {
    while (running) {
      let live: LiveSubscriber;
      try {
        live = await wsSubscribe(wsClient(`${url()}/graphql`, user.token), REMINDERS);
      } catch {
        await pause(250);
        continue;
      }
      const session: Session = {
        userId: user.userId,
        subscriber: number,
        connectedAt: Date.now(),
        toldToReload: false,
        reminderIds: [],
      };
      sessions.push(session);
      current.push(live);
      let seen = 0;
      while (running && !live.ended) {
        for (; seen < live.received.length; seen++) collect(session, live.received[seen]!);
        await pause(50);
      }
      for (; seen < live.received.length; seen++) collect(session, live.received[seen]!);
      current = current.filter((other) => other !== live);
      if (live.ended) session.endedAt = Date.now();
      else await live.stop();
    }
  };

  const collect = (session: Session, item: LiveSubscriber['received'][number]) => {
    if (item.data?.reminders) session.reminderIds.push(item.data.reminders.id);
    if (item.errors?.some((error) => typeof error.extensions?.code === 'string')) {
      session.toldToReload = true;
    }
  };

  const loops = users.flatMap((user, u) =>
    Array.from({ length: perUser }, (_, i) => subscriber(user, u * perUser + i)),
  );
  return {
    sessions,
    async stop() {
      running = false;
      await Promise.all(loops);
      return sessions;
    },
  };
}
