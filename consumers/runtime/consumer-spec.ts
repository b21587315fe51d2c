import type { Knex } from 'knex';
import type { Event, EventType } from '../../model/events/contracts.ts';
import type { IncomingMessage } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';

/** What a batch handler gets besides the events: the transaction its writes must use. */
export interface BatchContext {
  /** The writes made through it commit together with the events' ids in the inbox, or not at all. */
  trx: Knex.Transaction;
  logger: Logger;
  /** Runs `effect` once these writes have committed (never if they roll back). */
  afterCommit(effect: () => void): void;
}

/** What a handler gets besides the event. */
export interface HandlerContext extends BatchContext {
  /** The message the event came in; absent when a `handleBatch` applies its events one by one. */
  message?: IncomingMessage;
}

/**
 * One consumer group: what it reads and what it does with each event.
 *
 * The contract with the handlers: the new events of a delivered batch are applied in one
 * transaction, with `handleBatch` when given, else with `handle` for each in order. A handler
 * may be invoked more than once for an event whose batch was rolled back: a transient failure
 * retries the whole batch, and a permanent failure of any of its events rolls the batch back and
 * applies it again event by event (each in a savepoint, with `handle`), so that only the failing
 * event is dead-lettered. Its database writes through `trx` and its `afterCommit` effects apply
 * exactly once; anything else a handler does must be harmless to repeat.
 */
export interface ConsumerSpec {
  group: string;
  topics: string[];
  /** Event types the handler wants; other valid events are acknowledged and skipped. */
  types: EventType[];
  /** Applies one event; also the fallback that `handleBatch` needs after a permanent failure. */
  handle(event: Event, context: HandlerContext): Promise<void>;
  /**
   * Applies the new events of a batch together, in their order within the partition, for
   * services that can do so in fewer statements than one event at a time.
   */
  handleBatch?(events: Event[], context: BatchContext): Promise<void>;
}
