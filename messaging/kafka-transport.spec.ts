import { jest } from '@jest/globals';
import { pino } from 'pino';
import { requireTestEnv } from '../test/env.js';
import { KafkaTransport } from './kafka-transport.js';
import { transportContract } from './transport-contract.js';

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
