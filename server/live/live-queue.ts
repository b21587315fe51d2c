/**
 * One subscriber's queue of live items, bounded: when the subscriber reads too slowly and the
 * queue is full, it stops taking items and ends once the reader has drained what it holds, with
 * `overflowed` set, so the reader can tell its client to resync instead of the server buffering
 * without bound.
 */
export class LiveQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  /** True once an item was refused because the queue was full. */
  overflowed = false;

  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Adds an item; returns false (and ends the queue) when it is full or already ended. */
  push(item: T): boolean {
    if (this.ended) return false;
    if (this.items.length >= this.capacity) {
      this.overflowed = true;
      this.end();
      return false;
    }
    this.items.push(item);
    this.wake();
    return true;
  }

  /** Ends the queue; a reader still gets the items it holds. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  get size(): number {
    return this.items.length;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
