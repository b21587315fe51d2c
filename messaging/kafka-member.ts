import type {
  Admin,
  Consumer as KafkaConsumer,
  EachBatchPayload,
  IMemberAssignment,
  Kafka,
  KafkaMessage,
} from 'kafkajs';
import { backoffMs } from '../lib/backoff.ts';
import type { Logger } from '../lib/logger.ts';
import { disconnectWithin } from './disconnect-within.ts';
import { KafkaAccessError } from './kafka-access-error.ts';
import {
  BATCH_WAIT_BYTES,
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  MAX_BATCH,
  type ConsumeOptions,
  type Consumer,
  type IncomingMessage,
} from './transport.ts';

/** What a member uses of its transport's connection. */
export interface MemberConnection {
  kafka: Kafka;
  logger: Logger;
  /** Runs `work` with a connected admin client. */
  withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T>;
  /** Runs `connect`, turning a refusal into a KafkaAccessError. */
  refusalsAsAccessErrors(connect: () => Promise<void>): Promise<void>;
}

/** Waits between attempts to join: from about 0.5 s, doubling, up to 2 s (a feed back soon after Kafka is). */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 2_000;

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

const positionOf = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * One consumer group member over kafkajs. Until it has joined, and whenever kafkajs gives up on
 * it (a crash it does not restart), it tries again with a new kafkajs consumer after a backoff,
 * for as long as it runs; it subscribes only once its topics exist, so it never has the broker
 * create them with default settings. kafkajs' events (GROUP_JOIN, CRASH, DISCONNECT) are handed
 * on as ConsumerStatus. A member that commits no offsets keeps each partition's position in
 * memory and seeks back to it whenever it joins, so a restart of kafkajs' consumer does not
 * skip to the newest message.
 */
export class KafkaMember implements Consumer {
  private readonly connection: MemberConnection;
  private readonly options: ConsumeOptions;
  private readonly logger: Logger;
  private consumer: KafkaConsumer | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private joins = 0;
  private interrupted = false;
  /** The next offset to hand on, per `topic/partition`, for a member that commits nothing. */
  private positions: Map<string, string> | undefined;
  /** When `consume()` made this member: where one that commits nothing starts. */
  private readonly createdAt = Date.now();
  /** kafkajs consumers made so far; names the group of one that commits nothing. */
  private incarnations = 0;

  constructor(connection: MemberConnection, options: ConsumeOptions) {
    this.connection = connection;
    this.options = options;
    this.logger = connection.logger.child({ consumerGroup: options.groupId });
  }

  private get keepsPosition(): boolean {
    return this.options.commitOffsets === false;
  }

  /**
   * Makes a first attempt to join. Resolves once joined, or once the attempt failed: the member
   * then tries again in the background. Rejects only on a refusal (KafkaAccessError).
   */
  async start(): Promise<void> {
    try {
      await this.attempt();
    } catch (error) {
      if (error instanceof KafkaAccessError) {
        await this.stop();
        throw error;
      }
      this.tryAgainLater(error);
    }
  }

  /** Starts trying to join in the background at once. */
  startInBackground(): void {
    this.retry = setTimeout(() => void this.tryAgain(), 0);
  }

  /** Stops trying, finishes the batch in hand and leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await disconnectWithin(consumer, this.logger);
  }

  private async tryAgain(): Promise<void> {
    this.retry = undefined;
    if (this.stopped) return;
    try {
      await this.attempt();
    } catch (error) {
      this.tryAgainLater(error);
    }
  }

  private tryAgainLater(error: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const wait = Math.round(backoffMs(this.failures, RETRY_BASE_MS, RETRY_MAX_MS));
    this.logger[error instanceof KafkaAccessError ? 'error' : 'warn'](
      { err: error, attempt: this.failures, wait },
      'Kafka consumer could not join its group; trying again',
    );
    this.retry = setTimeout(() => void this.tryAgain(), wait);
  }

  /** Connects a new kafkajs consumer, subscribes it once the topics exist, and runs it. */
  private async attempt(): Promise<void> {
    const { groupId, topics, fromBeginning } = this.options;
    await this.connection.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) throw new Error(`topics not created yet: ${missing.join(', ')}`);
      if (this.keepsPosition && !this.positions) this.positions = await this.startPositions(admin);
    });
    if (this.stopped) return;
    // A member that commits nothing joins a group of its own each time: after a broker restart
    // the coordinator reloads the group with this member's dead predecessor in it and holds a
    // join until that one's session times out, while a fresh group joins at once; the position
    // is this member's own (seekToPositions), not the group's. kafkajs must not restart such a
    // consumer itself, in its old group: a crash comes back here instead.
    const incarnation = this.incarnations++;
    const consumer = this.connection.kafka.consumer({
      groupId: this.keepsPosition && incarnation > 0 ? `${groupId}.${incarnation}` : groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
      ...(this.options.batchWaitMs
        ? { minBytes: BATCH_WAIT_BYTES, maxWaitTimeInMs: this.options.batchWaitMs }
        : {}),
      retry: {
        initialRetryTime: 100,
        maxRetryTime: 2_000,
        retries: Number.MAX_SAFE_INTEGER,
        ...(this.keepsPosition ? { restartOnFailure: async () => false } : {}),
      },
    });
    this.consumer = consumer;
    this.listen(consumer);
    // A stop while a step below is under way disconnects the consumer, which the step may have
    // connected again: after each, one that stopped meanwhile is disconnected here.
    const abandoned = async () => {
      if (!this.stopped) return false;
      await disconnectWithin(consumer, this.logger);
      return true;
    };
    try {
      await this.connection.refusalsAsAccessErrors(() => consumer.connect());
      if (await abandoned()) return;
      await consumer.subscribe({ topics, fromBeginning });
      if (await abandoned()) return;
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // kafkajs hands one partition's batches to one worker at a time, so order holds within it.
        partitionsConsumedConcurrently:
          this.options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
        eachBatch: (payload) => this.eachBatch(consumer, payload),
      });
      await abandoned();
    } catch (error) {
      if (this.consumer === consumer) this.consumer = undefined;
      await disconnectWithin(consumer, this.logger);
      if (!this.stopped) throw error;
    }
  }

  /**
   * Where a member that commits nothing starts: each partition's oldest offset, or the first
   * message appended since `consume()` made it. Not the newest offset when it first reaches the
   * broker: a member made while Kafka was away would skip what was published between the
   * broker's return and its own (a reminder an API started during an outage must still pass on).
   */
  private async startPositions(admin: Admin): Promise<Map<string, string>> {
    const positions = new Map<string, string>();
    for (const topic of this.options.topics) {
      const offsets = this.options.fromBeginning
        ? (await admin.fetchTopicOffsets(topic)).map(({ partition, low }) => ({
            partition,
            offset: low,
          }))
        : await admin.fetchTopicOffsetsByTimestamp(topic, this.createdAt);
      for (const { partition, offset } of offsets) {
        positions.set(positionOf(topic, partition), offset);
      }
    }
    return positions;
  }

  private listen(consumer: KafkaConsumer): void {
    const current = () => !this.stopped && this.consumer === consumer;
    const { GROUP_JOIN, CRASH, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      if (!current()) return;
      this.seekToPositions(consumer, payload.memberAssignment);
      this.failures = 0;
      this.interrupted = false;
      this.joins++;
      this.options.onStatus?.({ state: 'joined', rejoined: this.joins > 1 });
    });
    consumer.on(DISCONNECT, () => {
      if (current()) this.interrupt();
    });
    consumer.on(CRASH, ({ payload }) => {
      if (!current()) return;
      this.interrupt(payload.error);
      if (payload.restart) return;
      // kafkajs gave up on this consumer (the error was not one it retries, or it keeps no
      // position): start afresh.
      this.consumer = undefined;
      void disconnectWithin(consumer, this.logger);
      this.tryAgainLater(payload.error);
    });
  }

  private interrupt(error?: unknown): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.options.onStatus?.({ state: 'interrupted', error });
  }

  /**
   * Points every assigned partition at the position this member reached. Called as kafkajs
   * reports the join, before its first fetch, which applies the seeks before reading.
   */
  private seekToPositions(consumer: KafkaConsumer, assignment: IMemberAssignment): void {
    if (!this.positions) return;
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const offset = this.positions.get(positionOf(topic, partition));
        if (offset === undefined) continue;
        try {
          consumer.seek({ topic, partition, offset });
        } catch (error) {
          this.logger.warn(
            { err: error, topic, partition },
            'could not seek to the position reached',
          );
        }
      }
    }
  }

  /**
   * Drops the messages before the partition's position (a prefix, offsets being in order): read
   * again before a seek took effect.
   */
  private unseen(topic: string, partition: number, messages: KafkaMessage[]): KafkaMessage[] {
    const position = this.positions?.get(positionOf(topic, partition));
    if (position === undefined) return messages;
    return messages.filter((message) => BigInt(message.offset) >= BigInt(position));
  }

  private async eachBatch(
    consumer: KafkaConsumer,
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
  ): Promise<void> {
    const { options } = this;
    const fresh = this.unseen(batch.topic, batch.partition, batch.messages);
    const skipped = batch.messages.length - fresh.length;
    if (skipped > 0) resolveOffset(batch.messages[skipped - 1]!.offset);
    const messages: IncomingMessage[] = fresh.map((message) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? null,
      headers: headersOf(message.headers),
      timestamp: Number(message.timestamp),
    }));
    const next = (offset: string) => String(BigInt(offset) + 1n);
    /** Marks the partition handled up to `offset`: in memory, or committed on the broker. */
    const handled = async (offset: string) => {
      resolveOffset(offset);
      if (this.positions)
        this.positions.set(positionOf(batch.topic, batch.partition), next(offset));
      else await commit(offset);
    };
    const commit = (offset: string) =>
      consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: next(offset) },
      ]);
    if (options.handleBatch) {
      for (let start = 0; start < messages.length; start += MAX_BATCH) {
        if (!isRunning() || isStale()) break;
        const chunk = messages.slice(start, start + MAX_BATCH);
        await options.handleBatch(chunk);
        await handled(chunk.at(-1)!.offset);
        await heartbeat();
      }
    } else {
      // One message at a time, committed once for the lot (or as far as it got).
      let last: string | undefined;
      try {
        for (const message of messages) {
          if (!isRunning() || isStale()) break;
          await options.handle!(message);
          resolveOffset(message.offset);
          if (this.positions) {
            this.positions.set(positionOf(batch.topic, batch.partition), next(message.offset));
          }
          last = message.offset;
          await heartbeat();
        }
      } finally {
        if (last !== undefined && !isStale() && !this.positions) await commit(last);
      }
    }
    options.onLag?.(batch.topic, batch.partition, Number(batch.offsetLag()));
  }
}
