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
import type { KafkaSaslConfig } from '../server/config.ts';
import type { Logger } from '../server/logger.ts';
import { kafkaLogCreator } from './kafka-logger.ts';
import {
  MAX_BATCH,
  type ConsumeOptions,
  type Consumer,
  type EventTransport,
  type IncomingMessage,
  type OutgoingMessage,
  type TopicSpec,
} from './transport.ts';

/** How to reach the brokers: plain Apache Kafka, or Redpanda Cloud with SASL/SCRAM and TLS. */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl: KafkaSaslConfig | undefined;
}

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** The kafkajs client settings for the given connection: TLS and SASL when configured. */
export function kafkaClientConfig(settings: KafkaSettings, logger: Logger): KafkaConfig {
  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
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
  private producer: Producer | undefined;
  private producerReady: Promise<Producer> | undefined;
  private readonly consumers = new Set<KafkaConsumer>();

  private readonly logger: Logger;

  constructor(settings: KafkaSettings, logger: Logger) {
    this.logger = logger;
    this.kafka = new Kafka(kafkaClientConfig(settings, logger));
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic.name));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor ?? -1,
          configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
        })),
      });
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
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, batch]) => ({
        topic,
        messages: batch.map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: Number.MAX_SAFE_INTEGER },
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
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
        await consumer.disconnect();
      },
    };
  }

  async healthCheck(): Promise<void> {
    await this.withAdmin((admin) => admin.describeCluster().then(() => undefined));
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    const producer = this.producer;
    this.producer = undefined;
    this.producerReady = undefined;
    await producer?.disconnect();
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
        await producer.connect();
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
    const admin = this.kafka.admin({ retry: { retries: 2 } });
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
