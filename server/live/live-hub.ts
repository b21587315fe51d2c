import type { Event } from '../../domain/events/contracts.js';
import {
  channelOf,
  type LiveChannel,
  type LiveSource,
  type LiveSubscription,
} from '../../domain/live-updates.js';
import { LiveQueue } from './live-queue.js';

/** How many undelivered events one subscriber may hold before it is told to resync. */
export const DEFAULT_QUEUE_CAPACITY = 1_000;

/**
 * The server's in-process fan-out: each event goes to the connected subscribers of its own
 * user and channel only, each through a bounded queue of its own.
 */
export class LiveHub implements LiveSource {
  private readonly subscribers = new Map<string, Set<LiveQueue<Event>>>();
  private count = 0;

  constructor(private readonly queueCapacity = DEFAULT_QUEUE_CAPACITY) {}

  subscribe(userId: string, channel: LiveChannel): LiveSubscription {
    const key = `${channel}\u0000${userId}`;
    const queue = new LiveQueue<Event>(this.queueCapacity);
    let queues = this.subscribers.get(key);
    if (!queues) this.subscribers.set(key, (queues = new Set()));
    queues.add(queue);
    this.count++;
    const remove = () => {
      if (!queues.delete(queue)) return;
      this.count--;
      if (queues.size === 0 && this.subscribers.get(key) === queues) this.subscribers.delete(key);
    };
    return {
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

  /** Hands the event to its user's subscribers of its channel; returns how many took it. */
  publish(event: Event): number {
    const channel = channelOf(event.type);
    if (!channel) return 0;
    const queues = this.subscribers.get(`${channel}\u0000${event.userId}`);
    if (!queues) return 0;
    let delivered = 0;
    for (const queue of queues) {
      if (queue.push(event)) delivered++;
      else {
        queues.delete(queue);
        this.count--;
      }
    }
    if (queues.size === 0) this.subscribers.delete(`${channel}\u0000${event.userId}`);
    return delivered;
  }

  /** Ends every subscription (at shutdown): the streams complete once drained. */
  closeAll(): void {
    for (const queues of this.subscribers.values()) {
      for (const queue of queues) queue.end();
      queues.clear();
    }
    this.subscribers.clear();
    this.count = 0;
  }

  /** Subscribers connected now, over every user and channel. */
  get subscriberCount(): number {
    return this.count;
  }
}
