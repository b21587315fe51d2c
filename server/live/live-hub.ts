import type { Event } from '../../model/events/contracts.ts';
import type { UnreadableEventRow } from '../../outbox/user-events.ts';
import {
  channelOf,
  type LiveChannel,
  type LiveEvent,
  type LiveSource,
  type LiveSubscription,
} from '../../domain/live-updates.ts';
import type { Logger } from '../../lib/logger.ts';
import { LiveQueue } from './live-queue.ts';
import { RecentIds } from './recent-ids.ts';

/** How many undelivered events one subscriber may hold before it is told to resync. */
export const DEFAULT_QUEUE_CAPACITY = 1_000;
const PAGE = 500;
/**
 * How many reminder ids the hub remembers per user with reminder subscribers. Kafka delivers a
 * reminder again when the relay resent its batch (at least once); a copy comes within one batch
 * of the first, so a user would need this many reminders in between to get one twice.
 */
const REMEMBERED_REMINDERS = 1_000;

/** Where the hub reads a user's task events in sequence order (the outbox; see outbox-rows.ts). */
export interface SequenceReader {
  lastSeq(userId: string): Promise<number>;
  /** The events after `after`; a row without its event is one the event schema refuses. */
  eventsAfter(
    userId: string,
    after: number,
    limit: number,
  ): Promise<Array<{ seq: number; event: Event } | UnreadableEventRow>>;
}

/** The reminder subscribers of one user, and the reminders they were handed. */
interface ReminderFeed {
  queues: Set<LiveQueue<LiveEvent>>;
  delivered: RecentIds;
}

/** The task events of one user with subscribers here: how far they were read, and who gets them. */
interface UserFeed {
  queues: Set<LiveQueue<LiveEvent>>;
  /** The last sequence number delivered; set once the feed's start was read. */
  cursor: Promise<number>;
  /** What `cursor` resolved to, once it did. */
  last: number | undefined;
  pulling: boolean;
  again: boolean;
}

/** What a hub needs: where to read task events, and its limits. */
export interface LiveHubOptions {
  reader: SequenceReader;
  logger?: Logger;
  queueCapacity?: number;
}

/**
 * The server's in-process fan-out: each event goes to the connected subscribers of its own user
 * and channel only, each through a bounded queue of its own. Reminders are handed on as Kafka
 * delivers them, and a copy of one already handed on (a resent batch) is dropped by its id. A
 * task event that comes with the number after the last one delivered to its user is handed on
 * as it comes; any other (a gap, out of order, without a number) makes the hub read the user's
 * events from the outbox in sequence order. So subscribers get them in commit order, without
 * gaps, even when Kafka delivers two tasks' events out of order or a message was missed, and the
 * database is read only then.
 */
export class LiveHub implements LiveSource {
  private readonly reminders = new Map<string, ReminderFeed>();
  private readonly feeds = new Map<string, UserFeed>();
  private count = 0;
  private readonly queueCapacity: number;

  private readonly options: LiveHubOptions;

  constructor(options: LiveHubOptions) {
    this.options = options;
    this.queueCapacity = options.queueCapacity ?? DEFAULT_QUEUE_CAPACITY;
  }

  subscribe(userId: string, channel: LiveChannel): LiveSubscription {
    const queue = new LiveQueue<LiveEvent>(this.queueCapacity);
    let queues: Set<LiveQueue<LiveEvent>>;
    let ready: Promise<unknown>;
    let forget: () => void;
    if (channel === 'reminders') {
      const feed = this.reminders.get(userId) ?? {
        queues: new Set(),
        delivered: new RecentIds(REMEMBERED_REMINDERS),
      };
      this.reminders.set(userId, feed);
      queues = feed.queues;
      ready = Promise.resolve();
      forget = () => {
        if (queues.size === 0 && this.reminders.get(userId) === feed) this.reminders.delete(userId);
      };
    } else {
      const feed = this.feedOf(userId);
      queues = feed.queues;
      ready = feed.cursor;
      forget = () => {
        if (queues.size === 0 && this.feeds.get(userId) === feed) this.feeds.delete(userId);
      };
    }
    queues.add(queue);
    this.count++;
    const remove = () => {
      if (!queues.delete(queue)) return;
      this.count--;
      forget();
    };
    return {
      ready: ready.then(() => undefined),
      get overflowed() {
        return queue.overflowed;
      },
      close: () => {
        remove();
        queue.end();
      },
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
  }

  /**
   * Takes an event Kafka delivered, with the user sequence number it came with (task events): a
   * reminder, or the task event next in its user's sequence, is handed on; a reminder or task
   * event already delivered is dropped; any other task event makes its user's feed read.
   */
  publish(event: Event, seq?: number): void {
    const channel = channelOf(event.type);
    if (channel === 'reminders') {
      const feed = this.reminders.get(event.userId);
      if (!feed || !feed.delivered.add(event.id)) return;
      this.deliver(feed.queues, { event, seq: undefined });
      if (feed.queues.size === 0) this.reminders.delete(event.userId);
    } else if (channel === 'taskEvents') {
      const feed = this.feeds.get(event.userId);
      if (!feed) return;
      if (seq !== undefined && feed.last !== undefined && !feed.pulling) {
        if (seq <= feed.last) return;
        if (seq === feed.last + 1) {
          this.deliver(feed.queues, { event, seq });
          this.advance(feed, seq);
          if (feed.queues.size === 0) this.feeds.delete(event.userId);
          return;
        }
      }
      void this.pull(event.userId, feed);
    }
  }

  /**
   * Reads every subscribed user's task events after what their subscribers were sent, as if
   * Kafka had said each has news: for when the feed may have missed such news (it rejoined
   * Kafka after an outage or a crash).
   */
  rereadTaskEvents(): void {
    for (const [userId, feed] of this.feeds) void this.pull(userId, feed);
  }

  /** Ends every subscription (at shutdown): the streams complete once drained. */
  closeAll(): void {
    const all = [...this.reminders.values(), ...this.feeds.values()].map((feed) => feed.queues);
    for (const queues of all) {
      for (const queue of queues) queue.end();
      queues.clear();
    }
    this.reminders.clear();
    this.feeds.clear();
    this.count = 0;
  }

  /** Subscribers connected now, over every user and channel. */
  get subscriberCount(): number {
    return this.count;
  }

  private feedOf(userId: string): UserFeed {
    let feed = this.feeds.get(userId);
    if (!feed) {
      const started: UserFeed = {
        queues: new Set(),
        cursor: this.options.reader.lastSeq(userId),
        last: undefined,
        pulling: false,
        again: false,
      };
      // A failed start read fails the subscriptions waiting on `ready`; the next one retries.
      started.cursor.then(
        (seq) => (started.last ??= seq),
        () => this.feeds.get(userId) === started && this.feeds.delete(userId),
      );
      feed = started;
      this.feeds.set(userId, feed);
    }
    return feed;
  }

  /** Reads the user's task events after the cursor and delivers them, once at a time per user. */
  private async pull(userId: string, feed: UserFeed): Promise<void> {
    if (feed.pulling) {
      feed.again = true;
      return;
    }
    feed.pulling = true;
    try {
      let cursor = await feed.cursor;
      do {
        feed.again = false;
        const rows = await this.options.reader.eventsAfter(userId, cursor, PAGE);
        for (const row of rows) {
          if (row.event) this.deliver(feed.queues, { event: row.event, seq: row.seq });
          else this.skip(userId, row);
          cursor = row.seq;
        }
        this.advance(feed, cursor);
        if (rows.length === PAGE) feed.again = true;
      } while (feed.again && this.feeds.get(userId) === feed);
    } catch (error) {
      // The next event of this user reads again from the same cursor.
      this.options.logger?.warn({ err: error }, 'could not read task events for live subscribers');
    } finally {
      feed.pulling = false;
      if (feed.queues.size === 0 && this.feeds.get(userId) === feed) this.feeds.delete(userId);
    }
  }

  private advance(feed: UserFeed, seq: number): void {
    feed.cursor = Promise.resolve(seq);
    feed.last = seq;
  }

  /** Passes over an event that cannot be read (the reader counted it), saying which. */
  private skip(userId: string, row: UnreadableEventRow): void {
    this.options.logger?.warn(
      { userId, seq: row.seq, eventId: row.eventId, problem: row.problem },
      'skipped a task event that does not match the event schema',
    );
  }

  private deliver(queues: Set<LiveQueue<LiveEvent>>, item: LiveEvent): void {
    for (const queue of queues) {
      if (!queue.push(item)) {
        queues.delete(queue);
        this.count--;
      }
    }
  }
}
