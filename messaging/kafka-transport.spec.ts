import { jest } from '@jest/globals';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { requireTestEnv } from '../test/env.ts';
import { KafkaTransport } from './kafka-transport.ts';
import { transportContract } from '../test/transport-contract.ts';

jest.setTimeout(60_000);

transportContract(
  'kafka',
  async () =>
    new KafkaTransport(
      {
        brokers: requireTestEnv('KAFKA_BROKERS').split(','),
        clientId: 'transport-contract',
        ssl: false,
        sasl: undefined,
      },
      pino({ level: 'error' }),
    ),
);

it('creates missing topics with the configured partitions and retention', async () => {
  const transport = new KafkaTransport(
    {
      brokers: requireTestEnv('KAFKA_BROKERS').split(','),
      clientId: 'topics',
      ssl: false,
      sasl: undefined,
    },
    pino({ level: 'error' }),
  );
  const name = `configured-${Date.now()}`;
  await transport.ensureTopics([
    { name, partitions: 4, retentionMs: 2 * 3_600_000, replicationFactor: -1 },
  ]);
  const admin = new Kafka({
    brokers: requireTestEnv('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [name] })).topics;
    expect(metadata!.partitions).toHaveLength(4);
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] }],
    });
    expect(resources[0]!.configEntries).toEqual([
      expect.objectContaining({ configName: 'retention.ms', configValue: '7200000' }),
    ]);
  } finally {
    await admin.disconnect();
    await transport.close();
  }
});
