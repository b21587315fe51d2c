import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type KafkaConfig,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import type { Logger } from '../lib/logger.ts';
import { disconnectWithin } from './disconnect-within.ts';
import { accessErrorOf, KafkaAccessError } from './kafka-access-error.ts';
import { KafkaMember } from './kafka-member.ts';
import { KafkaUnreachableError } from './kafka-unreachable-error.ts';
import { kafkaLogCreator } from './kafka-logger.ts';
import type { KafkaOptions } from './kafka-options.ts';
import type {
  ConsumeOptions,
  Consumer,
  EventTransport,
  OutgoingMessage,
  TopicSpec,
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
  private readonly members = new Set<KafkaMember>();

  private readonly logger: Logger;
  private readonly settings: KafkaOptions;
  /** Whether the brokers have accepted this client once (see `checkAccess`). */
  private accepted = false;
  /** Why the last `checkAccess` found no broker. */
  private unreachableBecause: unknown;

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
    const reachable = await this.checkAccess();
    const member = new KafkaMember(
      {
        kafka: this.kafka,
        logger: this.logger,
        withAdmin: (work) => this.withAdmin(work),
        refusalsAsAccessErrors: (connect) => this.refusalsAsAccessErrors(connect),
      },
      options,
    );
    this.members.add(member);
    if (!reachable) {
      this.logger.warn(
        { consumerGroup: options.groupId },
        'Kafka is unreachable; the consumer will join its group once it answers',
      );
      member.startInBackground();
    } else {
      await member.start().catch((error: unknown) => {
        this.members.delete(member);
        throw error;
      });
    }
    return {
      stop: async () => {
        this.members.delete(member);
        await member.stop();
      },
    };
  }

  /** Asks the brokers for the cluster's metadata once, without retries. */
  async healthCheck(): Promise<void> {
    const admin = this.probe.admin();
    try {
      await this.refusalsAsAccessErrors(() => admin.connect());
      this.accepted = true;
      await admin.describeCluster();
    } catch (error) {
      if (error instanceof KafkaAccessError) throw error;
      throw new KafkaUnreachableError(this.settings.brokers, error);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.members].map((member) => member.stop()));
    this.members.clear();
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
        await this.requireAccess();
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
    await this.requireAccess();
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
   * like any network error. Resolves to false when no broker answered.
   */
  private async checkAccess(): Promise<boolean> {
    if (this.accepted) return true;
    const admin = this.probe.admin();
    try {
      await this.refusalsAsAccessErrors(() => admin.connect());
      this.accepted = true;
      return true;
    } catch (error) {
      if (error instanceof KafkaAccessError) throw error;
      this.unreachableBecause = error;
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * As checkAccess, but a broker that did not answer fails at once too, with a
   * KafkaUnreachableError, rather than after kafkajs' retries: the callers (start-up, the
   * relay, a member joining) retry on their own schedule. Once accepted, kafkajs retries.
   */
  private async requireAccess(): Promise<void> {
    if (!(await this.checkAccess())) {
      throw new KafkaUnreachableError(this.settings.brokers, this.unreachableBecause);
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
