import { pino } from 'pino';
import { requireTestEnv, testKnex, uniqueUserId } from '../test/env.ts';
import { eventually } from '../test/kafka.ts';
import { SessionListener } from './session-listener.ts';

const knex = testKnex(2);
afterAll(() => knex.destroy());

it('hears NOTIFYs from other sessions, and again after its connection was terminated', async () => {
  const channel = uniqueUserId('listener').replace('-', '_');
  let notified = 0;
  const listener = new SessionListener({
    url: requireTestEnv('TEST_DATABASE_URL'),
    channel,
    knex,
    logger: pino({ level: 'silent' }),
    onNotify: () => void (notified += 1),
    reconnectMs: 100,
  });
  await listener.start();
  try {
    expect(await listener.probe()).toBe(true);
    const before = notified;
    await knex.raw(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query = ?`,
      [`LISTEN "${channel}"`],
    );
    // Told on reconnecting, for whatever was notified while it was away.
    await eventually(() => notified > before, 'the wake on reconnecting', 5_000);
    expect(listener.listening).toBe(true);
    expect(await listener.probe()).toBe(true);
  } finally {
    await listener.stop();
  }
  expect(listener.listening).toBe(false);
}, 30_000);
