import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer as KafkaConsumer,
  type KafkaConfig,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import type { Logger } from '../lib/logger.ts';
import { disconnectWithin } from './disconnect-within.ts';
import { accessErrorOf, KafkaAccessError } from './kafka-access-error.ts';
import { kafkaLogCreator } from './kafka-logger.ts';
import type { KafkaOptions } from './kafka-options.ts';
import {
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  MAX_BATCH,
  type ConsumeOptions,
  type Consumer,
  type EventTransport,
  type IncomingMessage,
  type OutgoingMessage,
  type TopicSpec,
} from './transport.ts';

/**
 * Waits until every partition of the new `topics` has a leader. kafkajs' own wait
 * (`waitForLeaders`) gives up when a KRaft broker does not know yet a topic the controller has
 * just created, which happens for a moment on a busy machine; here any error means "not yet".
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const led = metadata.every(
        (topic) =>
          topic.partitions.length > 0 &&
          topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (led) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`no leaders for topics ${topics.join(', ')} in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** The kafkajs client settings for the given connection: TLS and SASL when configured. */
export function kafkaClientConfig(settings: KafkaOptions, logger: Logger): KafkaConfig {
  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl && settings.ca ? { ca: [settings.ca] } : settings.ssl,
    sasl: settings.sasl as SASLOptions | undefined,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  };
}

/** The event transport over Apache Kafka (or any Kafka-compatible broker) with kafkajs. */
export class KafkaTransport implements EventTransport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  /** The same connection without retries, for `checkAccess`. */
  private readonly probe: Kafka;
  private producer: Producer | undefined;
  private producerReady: Promise<Producer> | undefined;
  private readonly consumers = new Set<KafkaConsumer>();

  private readonly logger: Logger;
  private readonly settings: KafkaOptions;
  /** Whether the brokers have accepted this client once (see `checkAccess`). */
  private accepted = false;

  constructor(settings: KafkaOptions, logger: Logger) {
    this.logger = logger;
    this.settings = settings;
    const config = kafkaClientConfig(settings, logger);
    this.kafka = new Kafka(config);
    // kafkajs retries connections with the client's settings, whatever the admin's are.
    this.probe = new Kafka({ ...config, retry: { retries: 0 } });
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic.name));
      if (missing.length === 0) return;
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor ?? -1,
          configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
        })),
      });
      await waitForLeaders(
        admin,
        missing.map((topic) => topic.name),
      );
      this.logger.info({ topics: missing.map((topic) => topic.name) }, 'created topics');
    });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    }
    const producer = await this.connectedProducer();
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, batch]) => ({
          topic,
          messages: batch.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
    } catch (error) {
      // A producer whose send failed is not reused: its sequence numbers may no longer match
      // what the broker holds (a refusal, or a broker restarted meanwhile).
      this.replaceProducer(producer);
      throw error;
    }
  }

  /**
   * Drops `producer` so the next publish gets a new producer id. After a refusal, kafkajs has
   * rewound the sequence numbers of every partition in the request, including those the broker
   * accepted; sending other messages under those numbers would be refused as out of order. Its
   * disconnect is not awaited: with the broker away it may take long.
   */
  private replaceProducer(producer: Producer): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    this.producerReady = undefined;
    void producer.disconnect().catch(() => undefined);
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: Number.MAX_SAFE_INTEGER },
    });
    await this.checkAccess();
    this.consumers.add(consumer);
    await this.refusalsAsAccessErrors(() => consumer.connect());
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // kafkajs hands one partition's batches to one worker at a time, so order holds within it.
      partitionsConsumedConcurrently:
        options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const messages: IncomingMessage[] = batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: headersOf(message.headers),
          timestamp: Number(message.timestamp),
        }));
        const commit = async (offset: string) => {
          if (options.commitOffsets === false) return;
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: String(BigInt(offset) + 1n) },
          ]);
        };
        if (options.handleBatch) {
          for (let start = 0; start < messages.length; start += MAX_BATCH) {
            if (!isRunning() || isStale()) break;
            const chunk = messages.slice(start, start + MAX_BATCH);
            await options.handleBatch(chunk);
            resolveOffset(chunk.at(-1)!.offset);
            await commit(chunk.at(-1)!.offset);
            await heartbeat();
          }
          options.onLag?.(batch.topic, batch.partition, Number(batch.offsetLag()));
          return;
        }
        let last: string | undefined;
        try {
          for (const message of messages) {
            if (!isRunning() || isStale()) break;
            await options.handle!(message);
            resolveOffset(message.offset);
            last = message.offset;
            await heartbeat();
          }
        } finally {
          if (last !== undefined && !isStale()) await commit(last);
        }
        options.onLag?.(batch.topic, batch.partition, Number(batch.offsetLag()));
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await disconnectWithin(consumer, this.logger);
      },
    };
  }

  async healthCheck(): Promise<void> {
    await this.withAdmin((admin) => admin.describeCluster().then(() => undefined));
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.consumers].map((consumer) => disconnectWithin(consumer, this.logger)),
    );
    this.consumers.clear();
    const producer = this.producer;
    this.producer = undefined;
    this.producerReady = undefined;
    if (producer) await disconnectWithin(producer, this.logger);
  }

  private connectedProducer(): Promise<Producer> {
    this.producerReady ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      try {
        await this.checkAccess();
        await this.refusalsAsAccessErrors(() => producer.connect());
      } catch (error) {
        this.producerReady = undefined;
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.producerReady;
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    await this.checkAccess();
    const admin = this.kafka.admin({ retry: { retries: 2 } });
    await this.refusalsAsAccessErrors(() => admin.connect());
    this.accepted = true;
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Until the brokers have accepted this client once, tries one connection without retries, so
   * a refusal fails at once with a KafkaAccessError: kafkajs retries an untrusted certificate
   * like any network error. Other failures are left to the caller's usual retries.
   */
  private async checkAccess(): Promise<void> {
    if (this.accepted) return;
    const admin = this.probe.admin();
    try {
      await this.refusalsAsAccessErrors(() => admin.connect());
      this.accepted = true;
    } catch (error) {
      if (error instanceof KafkaAccessError) throw error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Runs `connect`, turning a refusal into a KafkaAccessError (logged as an error). */
  private async refusalsAsAccessErrors(connect: () => Promise<void>): Promise<void> {
    try {
      await connect();
    } catch (error) {
      const refused = accessErrorOf(error, this.settings);
      if (!refused) throw error;
      this.logger.error({ reason: refused.reason }, refused.message);
      throw refused;
    }
  }
}
