import type { Event } from '../../model/events/contracts.ts';
import { newEvent } from '../../model/events/new-event.ts';
import { ResyncRequiredError } from '../../model/errors.ts';
import { reminderUpdates, taskEventUpdates } from '../../domain/live-updates.ts';
import type { Scope } from '../../domain/scope.ts';
import { sampleSnapshot } from '../../test/events.ts';
import { LiveHub, type SequenceReader } from './live-hub.ts';

// Without `after` the streams never touch the database.
const scopeOf = (userId: string): Scope => ({ db: undefined as never, userId });

/** An in-memory stand-in for the outbox's per-user sequence (a unit test of the hub alone). */
function memoryOutbox(): SequenceReader & { append(event: Event): Event; reads: number } {
  const log = new Map<string, { seq: number; event: Event }[]>();
  return {
    /** How many times the hub read events after a sequence number. */
    reads: 0,
    append(event) {
      const rows = log.get(event.userId) ?? [];
      rows.push({ seq: rows.length + 1, event });
      log.set(event.userId, rows);
      return event;
    },
    lastSeq: async (userId) => log.get(userId)?.length ?? 0,
    async eventsAfter(userId, after, limit) {
      this.reads++;
      return (log.get(userId) ?? []).filter((row) => row.seq > after).slice(0, limit);
    },
  };
}

const created = (userId: string, title = 'T') => {
  const task = sampleSnapshot({ title });
  return newEvent('task.created', userId, task.id, { task });
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

it('delivers an event only to the subscribers of its own user and channel', async () => {
  const outbox = memoryOutbox();
  const hub = new LiveHub({ reader: outbox });
  const alice = await taskEventUpdates(scopeOf('alice'), hub, null);
  const aliceReminders = reminderUpdates(scopeOf('alice'), hub);
  const bob = await taskEventUpdates(scopeOf('bob'), hub, null);
  expect(hub.subscriberCount).toBe(3);

  const event = outbox.append(created('alice', 'Alice only'));
  hub.publish(event);
  hub.publish(outbox.append(created('carol')));

  const next = await alice.next();
  expect(next.value).toMatchObject({
    id: event.id,
    type: 'task.created',
    task: { title: 'Alice only', userId: 'alice' },
  });
  await Promise.all([
    alice.return(undefined),
    bob.return(undefined),
    aliceReminders.return(undefined),
  ]);
  expect(hub.subscriberCount).toBe(0);
});

it('delivers task events in the user sequence even when Kafka delivers them out of order, once each', async () => {
  const outbox = memoryOutbox();
  const hub = new LiveHub({ reader: outbox });
  const stream = await taskEventUpdates(scopeOf('alice'), hub, null);
  const [first, second] = [
    outbox.append(created('alice', 'A')),
    outbox.append(created('alice', 'B')),
  ];
  hub.publish(second);
  await settle();
  hub.publish(first);
  await settle();
  const third = outbox.append(created('alice', 'C'));
  hub.publish(third);
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(((await stream.next()).value as { id: string }).id);
  expect(ids).toEqual([first.id, second.id, third.id]);
  await stream.return(undefined);
});

it('hands on a task event next in its user sequence as Kafka delivers it, without reading the outbox', async () => {
  const outbox = memoryOutbox();
  const hub = new LiveHub({ reader: outbox });
  const stream = await taskEventUpdates(scopeOf('alice'), hub, null);
  const events = ['A', 'B', 'C'].map((title) => outbox.append(created('alice', title)));
  events.forEach((event, i) => hub.publish(event, i + 1));
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(((await stream.next()).value as { id: string }).id);
  expect(ids).toEqual(events.map((event) => event.id));
  expect(outbox.reads).toBe(0);
  await stream.return(undefined);
});

it('reads the outbox when a numbered task event skips ahead, and drops the one that comes late', async () => {
  const outbox = memoryOutbox();
  const hub = new LiveHub({ reader: outbox });
  const stream = await taskEventUpdates(scopeOf('alice'), hub, null);
  const [first, second, third] = ['A', 'B', 'C'].map((title) =>
    outbox.append(created('alice', title)),
  );
  hub.publish(second!, 2);
  await settle();
  expect(outbox.reads).toBe(1);
  hub.publish(first!, 1);
  hub.publish(third!, 3);
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(((await stream.next()).value as { id: string }).id);
  expect(ids).toEqual([first!.id, second!.id, third!.id]);
  expect(outbox.reads).toBe(1);
  const nothingMore = await Promise.race([stream.next(), settle().then(() => 'nothing')]);
  expect(nothingMore).toBe('nothing');
  await stream.return(undefined);
});

it('hands a reminder Kafka delivers twice (a resent batch) to each subscriber once', async () => {
  const hub = new LiveHub({ reader: memoryOutbox() });
  const [first, second] = [
    reminderUpdates(scopeOf('alice'), hub),
    reminderUpdates(scopeOf('alice'), hub),
  ];
  const reminder = (title: string) => {
    const task = sampleSnapshot({ title });
    const at = new Date().toISOString();
    return newEvent('reminder.due', 'alice', task.id, {
      task,
      remindAt: at,
      dueAt: null,
      firedAt: at,
      late: false,
    });
  };
  const [a, b] = [reminder('A'), reminder('B')];
  hub.publish(a);
  hub.publish(b);
  hub.publish(a);
  hub.publish(b);
  const c = reminder('C');
  hub.publish(c);
  for (const stream of [first, second]) {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(((await stream.next()).value as { id: string }).id);
    expect(ids).toEqual([a.id, b.id, c.id]);
    const nothingMore = await Promise.race([stream.next(), settle().then(() => 'nothing')]);
    expect(nothingMore).toBe('nothing');
  }
  await Promise.all([first.return(undefined), second.return(undefined)]);
});

it('tells a subscriber that fell behind to resync after the last event it received, holding at most its queue', async () => {
  const outbox = memoryOutbox();
  const hub = new LiveHub({ reader: outbox, queueCapacity: 3 });
  const slow = await taskEventUpdates(scopeOf('alice'), hub, null);
  const events = Array.from({ length: 5 }, (_, i) => outbox.append(created('alice', `#${i}`)));
  hub.publish(events[4]!);
  await settle();
  expect(hub.subscriberCount).toBe(0);

  const received = [];
  for await (const item of slow) received.push(item);
  expect(received.slice(0, 3).map((item) => (item as { id: string }).id)).toEqual(
    events.slice(0, 3).map((event) => event.id),
  );
  const last = received[3];
  expect(last).toBeInstanceOf(ResyncRequiredError);
  expect(last).toMatchObject({ code: 'RESYNC_REQUIRED', after: events[2]!.id });
  expect(received).toHaveLength(4);
});

it('ends a stream when the token expires, and closeAll ends every stream', async () => {
  const hub = new LiveHub({ reader: memoryOutbox() });
  const expiring = reminderUpdates(scopeOf('alice'), hub, { endsAt: new Date(Date.now() + 50) });
  expect(await expiring.next()).toEqual({ done: true, value: undefined });

  const open = await taskEventUpdates(scopeOf('bob'), hub, null);
  hub.closeAll();
  expect(await open.next()).toEqual({ done: true, value: undefined });
  expect(hub.subscriberCount).toBe(0);
});

it('releases a subscription whose stream is abandoned before it was ever read, or whose client left', async () => {
  const hub = new LiveHub({ reader: memoryOutbox() });
  const stream = await taskEventUpdates(scopeOf('alice'), hub, null);
  expect(hub.subscriberCount).toBe(1);
  await stream.return(undefined);
  expect(hub.subscriberCount).toBe(0);

  const gone = new AbortController();
  await taskEventUpdates(scopeOf('alice'), hub, null, { signal: gone.signal });
  expect(hub.subscriberCount).toBe(1);
  gone.abort();
  expect(hub.subscriberCount).toBe(0);
});
