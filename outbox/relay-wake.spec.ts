import pg from 'pg';
import { pino } from 'pino';
import { createKnex } from '../db/knex.ts';
import { createTask, useTestApi } from '../test/api.ts';
import { eventually, testKafka, testTopics } from '../test/kafka.ts';
import { notifyRelaysAfterCommit, OUTBOX_CHANNEL } from './notify-relays.ts';
import { OutboxRelay } from './relay.ts';
import { unsentRows } from './unsent.ts';

const api = useTestApi({ ownDatabase: true });
const silent = pino({ level: 'silent' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const unsentCount = async () =>
  Number((await unsentRows(api.knex).clearSelect().count({ n: '*' }).first())!.n);

/** Runs `relay` until the backlog is gone, then writes a task and waits for it to be published. */
async function expectPromptPublish(relay: OutboxRelay) {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  try {
    await relay.start();
    await eventually(async () => (await unsentCount()) === 0, 'the earlier backlog');
    await pause(300);
    const user = await api.user();
    const written = Date.now();
    await createTask(user, { title: 'wake up' });
    await eventually(async () => (await unsentCount()) === 0, 'the new row published', 10_000);
    return Date.now() - written;
  } finally {
    await relay.stop();
    await transport.close();
  }
}

it('publishes at once when a writer of this process commits, long before its next poll', async () => {
  const relay = new OutboxRelay({
    knex: api.knex,
    transport: testKafka(),
    logger: silent,
    pollIntervalMs: 120_000,
  });
  expect(await expectPromptPublish(relay)).toBeLessThan(10_000);
}, 60_000);

it('is woken in another process by the NOTIFY the writer sends after its commit', async () => {
  const elsewhere = createKnex(api.databaseUrl, { poolMax: 2 });
  const stopNotifying = notifyRelaysAfterCommit(api.knex, silent);
  const relay = new OutboxRelay({
    knex: elsewhere,
    transport: testKafka(),
    logger: silent,
    listenUrl: api.databaseUrl,
    pollIntervalMs: 120_000,
  });
  try {
    expect(await expectPromptPublish(relay)).toBeLessThan(10_000);
  } finally {
    stopNotifying();
    await elsewhere.destroy();
  }
}, 60_000);

it('sends no NOTIFY inside the writing transaction, which would serialize all commits', async () => {
  const listener = new pg.Client({ connectionString: api.databaseUrl });
  await listener.connect();
  const heard: string[] = [];
  listener.on('notification', (message) => heard.push(message.channel));
  try {
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    await createTask(await api.user(), { title: 'no notify in my commit' });
    await pause(500);
    expect(await api.knex('outbox').count({ n: '*' }).first()).toMatchObject({
      n: expect.anything(),
    });
    expect(heard).toEqual([]);
  } finally {
    await listener.end();
  }
}, 30_000);

it('leaves a standby relay asleep when commits wake relays: it only polls for the turn', async () => {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const holder = new OutboxRelay({ knex: api.knex, transport, logger: silent });
  const standbyKnex = createKnex(api.databaseUrl, { poolMax: 2 });
  const standby = new OutboxRelay({
    knex: standbyKnex,
    transport: testKafka(),
    logger: silent,
    standbyPollMs: 1_000,
  });
  let statements = 0;
  standbyKnex.on('query', () => statements++);
  try {
    await holder.start();
    await eventually(async () => holder.holdsTurn, 'the first relay holding the turn');
    await standby.start();
    await pause(300);
    expect(standby.holdsTurn).toBe(false);
    statements = 0;
    for (let i = 0; i < 100; i++) {
      standby.wake();
      await pause(10);
    }
    // About one second: its own poll, once or twice, and nothing for the 100 wake-ups.
    expect(statements).toBeLessThanOrEqual(3);
    expect(holder.holdsTurn).toBe(true);
  } finally {
    await standby.stop();
    await holder.stop();
    await standbyKnex.destroy();
    await transport.close();
  }
}, 60_000);
