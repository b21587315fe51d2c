/**
 * A stored event that no longer matches the event schema (written before a bug was fixed) does
 * not stop its user's live stream: the hub and the `after:` replay skip it with a log line and a
 * metric, and the sequence goes on after it.
 */
import { pino } from 'pino';
import { taskEventUpdates, type TaskEventUpdate } from '../../domain/live-updates.ts';
import { newEvent } from '../../model/events/new-event.ts';
import type { TaskSnapshot } from '../../model/events/task-snapshot.ts';
import { InProcessTransport } from '../../messaging/in-process-transport.ts';
import { appendToOutbox } from '../../outbox/append.ts';
import { OutboxRelay } from '../../outbox/relay.ts';
import { sequenceReader } from '../../outbox/user-events.ts';
import { sampleSnapshot } from '../../test/events.ts';
import { testKnex, uniqueUserId } from '../../test/env.ts';
import { LiveHub } from './live-hub.ts';

const knex = testKnex();
const relay = new OutboxRelay({
  knex,
  transport: new InProcessTransport(),
  logger: pino({ level: 'silent' }),
});
afterAll(async () => {
  await relay.stop();
  await knex.destroy();
});

const created = (userId: string, overrides: Partial<TaskSnapshot> = {}) => {
  const task = sampleSnapshot(overrides);
  return newEvent('task.created', userId, task.id, { task });
};

/** Three task events of a new user, the middle one unreadable, numbered 1-3 by the relay. */
async function withUnreadableRow() {
  const userId = uniqueUserId('live');
  const first = created(userId);
  // What the API used to store for a due date of 0000-01-01T00:00:00+14:00.
  const bad = created(userId, { dueAt: '-000001-12-31T10:00:00.000Z' });
  const last = created(userId);
  return {
    userId,
    first,
    bad,
    last,
    append: async () => {
      await knex.transaction((trx) => appendToOutbox(trx, [first, bad, last]));
      while ((await relay.relayBatch()) > 0);
    },
  };
}

/** A hub over the outbox that keeps its log lines. */
function hubWithLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { hub: new LiveHub({ reader: sequenceReader(knex), logger }), lines };
}

/** The next update of `stream`, or a failure after 5 s. */
async function nextOf(stream: AsyncGenerator<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('no update within 5 s')), 5000);
  });
  try {
    return ((await Promise.race([stream.next(), timeout])) as IteratorResult<unknown>).value;
  } finally {
    clearTimeout(timer);
  }
}

it('fault: the live hub stopped at an unreadable row; it now skips it, logs its id and delivers the rest', async () => {
  const { userId, first, bad, last, append } = await withUnreadableRow();
  const { hub, lines } = hubWithLog();
  const stream = await taskEventUpdates({ db: knex, userId }, hub, null);
  await append();
  hub.publish(last);
  try {
    expect((await nextOf(stream)) as TaskEventUpdate).toMatchObject({ id: first.id });
    expect((await nextOf(stream)) as TaskEventUpdate).toMatchObject({ id: last.id });
    expect(lines).toContainEqual(
      expect.objectContaining({ userId, seq: 2, eventId: bad.id, level: 40 }),
    );
  } finally {
    await stream.return(undefined);
    hub.closeAll();
  }
});

it('fault: a subscriber resuming with after: was told to resync forever; the replay now skips the row', async () => {
  const { userId, first, last, append } = await withUnreadableRow();
  await append();
  const { hub } = hubWithLog();
  const stream = await taskEventUpdates({ db: knex, userId }, hub, first.id);
  try {
    expect((await nextOf(stream)) as TaskEventUpdate).toMatchObject({ id: last.id });
  } finally {
    await stream.return(undefined);
    hub.closeAll();
  }
});
