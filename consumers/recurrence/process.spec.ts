import { requireTestEnv } from '../../test/env.ts';
import { startRole, useConsumerGroupsAlone } from '../../test/roles.ts';

// Starts consumer roles on the run's broker: see useConsumerGroupsAlone.
useConsumerGroupsAlone();

it('runs as its own process and stops cleanly on SIGTERM', async () => {
  const service = startRole('recurrence', {
    DATABASE_URL: requireTestEnv('TEST_DATABASE_URL'),
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
  });
  const deadline = Date.now() + 60_000;
  while (!service.output().includes('"msg":"started"')) {
    if (Date.now() > deadline) throw new Error(`did not start:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stopAsked = Date.now();
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect(Date.now() - stopAsked).toBeLessThan(10_000);
  expect(service.output()).toContain('"msg":"stopped"');
}, 90_000);

it('refuses to start without DATABASE_URL and KAFKA_BROKERS, saying what to do', async () => {
  const service = startRole('recurrence', {});
  expect(await service.exited).toBe(1);
  expect(service.output()).toContain('needs DATABASE_URL and KAFKA_BROKERS');
}, 30_000);
