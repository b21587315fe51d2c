/** A message to publish; `key` decides the partition, so one key's messages stay in order. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** A delivered message, with its position in the log. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** When the broker appended it (ms since the epoch). */
  timestamp: number;
}

/** A topic and the settings it is created with when missing. */
export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
  /** -1 or absent: the broker's default. */
  replicationFactor?: number;
}

/** What a consumer group member reads and how. */
export interface ConsumeOptions {
  groupId: string;
  topics: string[];
  /** Where a group without committed offsets starts: the oldest message, or new ones only. */
  fromBeginning: boolean;
  /**
   * False for a reader that keeps its position in memory instead: it commits no offsets, so its
   * group leaves nothing behind on the broker once its process is gone. It starts at the newest
   * message as of `consume()` (the oldest with `fromBeginning`) and, when it joins its group
   * again (after the broker restarted or its connection failed), resumes where it stopped, as a
   * committing member would. A new process starts afresh. Defaults to true.
   */
  commitOffsets?: boolean;
  /**
   * Told when the member joins its group and when it stops reading until it joins again, so a
   * reader that keeps state of its own can tell it may have to catch up (see ConsumerStatus).
   */
  onStatus?(status: ConsumerStatus): void;
  /** Told after each batch how many messages of the partition remain after it (for metrics). */
  onLag?(topic: string, partition: number, lag: number): void;
  /**
   * How many partitions this member handles at once (default
   * DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY). One partition's messages are always handled one
   * batch after the other, in order; several partitions are handled side by side, so a handler
   * that writes to a database may hold that many connections.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * How long the broker may hold a fetch to gather more messages before it answers (it answers
   * sooner once it has BATCH_WAIT_BYTES). A consumer that does not mind this much delay gets
   * fewer, larger batches under a steady trickle of events: fewer transactions and offset
   * commits per event. Unset or 0, a fetch is answered as soon as any message is there. The
   * in-process transport delivers at once either way.
   */
  batchWaitMs?: number;
  /**
   * Called once per message, in order within a partition. The message's offset is committed only
   * after the returned promise resolves; if it rejects, the message is delivered again.
   */
  handle?(message: IncomingMessage): Promise<void>;
  /**
   * Alternative to `handle`: called with consecutive messages of one partition, everything the
   * transport has for it at hand up to MAX_BATCH, so a consumer can apply them in one database
   * transaction. Their offsets are committed once, after the promise resolves; if it rejects,
   * the whole batch is delivered again.
   */
  handleBatch?(messages: IncomingMessage[]): Promise<void>;
}

/**
 * The most messages one `handleBatch` call receives. Kafka hands over up to 1 MB of a partition
 * per fetch (over a thousand events); the cap keeps one call well within the consumer's session
 * timeout even when the batch is applied event by event, because kafkajs sends heartbeats only
 * between calls and a rebalance waits for the call in hand.
 */
export const MAX_BATCH = 1_000;

/** With `batchWaitMs`, the bytes a fetch may gather before the broker answers without waiting. */
export const BATCH_WAIT_BYTES = 1024 * 1024;

/** Partitions a member handles at once unless ConsumeOptions says otherwise. */
export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 4;

/**
 * What became of a consumer group member. `joined`: it joined its group and reads its
 * partitions; `rejoined` when it had joined before (a restart after a crash or an outage, or a
 * rebalance). `interrupted`: it stopped reading (its connection failed, it crashed) and keeps
 * trying to join again.
 */
export type ConsumerStatus =
  { state: 'joined'; rejoined: boolean } | { state: 'interrupted'; error?: unknown };

/** A running consumer group member. */
export interface Consumer {
  /** Finishes the message in hand, commits, and leaves the group. */
  stop(): Promise<void>;
}

/**
 * The event transport: Kafka in production, an in-process log in the embedded default. Both
 * give at-least-once delivery, per-key order, consumer groups and commit-after-handle.
 */
export interface EventTransport {
  readonly kind: 'kafka' | 'in-process';
  /** Creates the topics that do not exist yet; leaves existing ones as they are. */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Resolves once every message is acknowledged by the broker; rejects if any is not. */
  publish(messages: OutgoingMessage[]): Promise<void>;
  /**
   * Starts a consumer group member. Resolves once it joined its group, or once it found it
   * cannot join yet (the broker is away, a topic does not exist yet): the member then keeps
   * trying in the background, with backoff, until it joins or is stopped. Rejects only when the
   * broker refuses this client (KafkaAccessError), which no retry can mend.
   */
  consume(options: ConsumeOptions): Promise<Consumer>;
  /** Throws, saying why, when the broker cannot be reached. */
  healthCheck(): Promise<void>;
  close(): Promise<void>;
}
