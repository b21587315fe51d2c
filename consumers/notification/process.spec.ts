import { useTestApi } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import { requireTestEnv } from '../../test/env.ts';
import { startRole, useConsumerGroupsAlone } from '../../test/roles.ts';
import { createReminderTask, msFromNow, remindersInOutbox } from '../../test/notification.ts';

// Starts consumer roles on the run's broker: see useConsumerGroupsAlone.
useConsumerGroupsAlone();

// The service claims the reminders of every user, so it runs on a database of its own.
const api = useTestApi({ ownDatabase: true });

it('runs as its own process, sends reminders, and stops cleanly on SIGTERM', async () => {
  const user = await api.user();
  const task = await createReminderTask(user, msFromNow(1_000));
  const service = startRole('notification', {
    DATABASE_URL: api.databaseUrl,
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
  });
  try {
    await eventually(() => service.output().includes('"msg":"started"'), 'the start', 60_000);
    await eventually(
      async () => (await remindersInOutbox(api.knex, task.id)).length === 1,
      'the reminder',
      20_000,
    );
    const stopAsked = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(10_000);
    expect(service.output()).toContain('"msg":"stopped"');
  } finally {
    service.child.kill('SIGKILL');
  }
}, 90_000);

it('refuses to start without DATABASE_URL and KAFKA_BROKERS, saying what to do', async () => {
  const service = startRole('notification', {});
  expect(await service.exited).toBe(1);
  expect(service.output()).toContain('needs DATABASE_URL and KAFKA_BROKERS');
}, 30_000);
