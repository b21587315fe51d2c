import { Kafka, logLevel, type ConfigResourceTypes } from 'kafkajs';
import type { TopicSpec } from '../../messaging/transport.ts';

/** ConfigResourceTypes.TOPIC: kafkajs does not export the enum's value to ES modules. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the product's `topics` before any role does, stamped with the broker's append time
 * (`message.timestamp.type=LogAppendTime`): each message's timestamp is then when the broker
 * took it, the moment the relay's publish is acknowledged. Topics that exist already (a broker
 * kept from an earlier run) get the same setting. Resolves once every partition has a leader.
 */
export async function createAppendTimeTopics(brokers: string, topics: TopicSpec[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-topics',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configOf = (topic: TopicSpec) => [
      { name: 'retention.ms', value: String(topic.retentionMs) },
      { name: 'message.timestamp.type', value: 'LogAppendTime' },
    ];
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0)
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor ?? -1,
          configEntries: configOf(topic),
        })),
      });
    const present = topics.filter((topic) => existing.has(topic.name));
    if (present.length > 0)
      await admin.alterConfigs({
        validateOnly: false,
        resources: present.map((topic) => ({
          type: TOPIC_RESOURCE,
          name: topic.name,
          configEntries: configOf(topic),
        })),
      });
    for (let attempt = 0; ; attempt++) {
      const { topics: metadata } = await admin.fetchTopicMetadata({
        topics: topics.map((t) => t.name),
      });
      if (metadata.every((t) => t.partitions.every((p) => p.leader >= 0))) return;
      if (attempt === 100) throw new Error('the benchmark topics got no leaders within 10 s');
      await sleep(100);
    }
  } finally {
    await admin.disconnect();
  }
}
