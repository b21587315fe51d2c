import { newEvent } from '../../domain/events/new-event.js';
import { ResyncRequiredError } from '../../domain/errors.js';
import { reminderUpdates, taskEventUpdates } from '../../domain/live-updates.js';
import type { Scope } from '../../domain/scope.js';
import { sampleSnapshot } from '../../test/events.js';
import { LiveHub } from './live-hub.js';

// Without `after` the streams never touch the database.
const scopeOf = (userId: string): Scope => ({ db: undefined as never, userId });

const created = (userId: string, title = 'T') => {
  const task = sampleSnapshot({ title });
  return newEvent('task.created', userId, task.id, { task });
};

it('delivers an event only to the subscribers of its own user and channel', async () => {
  const hub = new LiveHub();
  const alice = await taskEventUpdates(scopeOf('alice'), hub, null);
  const aliceReminders = reminderUpdates(scopeOf('alice'), hub);
  const bob = await taskEventUpdates(scopeOf('bob'), hub, null);
  expect(hub.subscriberCount).toBe(3);

  const event = created('alice', 'Alice only');
  expect(hub.publish(event)).toBe(1);
  expect(hub.publish(created('carol'))).toBe(0);

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

it('tells a subscriber that fell behind to resync after the last event it received, holding at most its queue', async () => {
  const hub = new LiveHub(3);
  const slow = await taskEventUpdates(scopeOf('alice'), hub, null);
  const events = Array.from({ length: 5 }, (_, i) => created('alice', `#${i}`));
  expect(events.map((event) => hub.publish(event))).toEqual([1, 1, 1, 0, 0]);
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
  const hub = new LiveHub();
  const expiring = reminderUpdates(scopeOf('alice'), hub, { endsAt: new Date(Date.now() + 50) });
  expect(await expiring.next()).toEqual({ done: true, value: undefined });

  const open = await taskEventUpdates(scopeOf('bob'), hub, null);
  hub.closeAll();
  expect(await open.next()).toEqual({ done: true, value: undefined });
  expect(hub.subscriberCount).toBe(0);
});

it('releases a subscription whose stream is abandoned before it was ever read', async () => {
  const hub = new LiveHub();
  const stream = await taskEventUpdates(scopeOf('alice'), hub, null);
  expect(hub.subscriberCount).toBe(1);
  await stream.return(undefined);
  expect(hub.subscriberCount).toBe(0);
});
