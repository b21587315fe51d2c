import { pino } from 'pino';
import { disconnectWithin } from './disconnect-within.ts';

const logged: string[] = [];
const logger = pino(
  { level: 'warn' },
  { write: (line: string) => void logged.push(JSON.parse(line).msg) },
);

beforeEach(() => logged.splice(0));

it('stops waiting for a client that never finishes disconnecting, and says so', async () => {
  const started = Date.now();
  await disconnectWithin({ disconnect: () => new Promise<void>(() => {}) }, logger, 200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(logged).toEqual(['a Kafka client did not disconnect in time; left it']);
});

it('returns as soon as a client has disconnected, and a failure is logged, not thrown', async () => {
  await disconnectWithin({ disconnect: async () => {} }, logger, 60_000);
  await disconnectWithin({ disconnect: async () => Promise.reject(new Error('gone')) }, logger);
  expect(logged).toEqual(['a Kafka client failed to disconnect cleanly']);
});
