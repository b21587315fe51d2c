import { pino } from 'pino';
import { taskEventUpdates } from '../../domain/live-updates.ts';
import type { Scope } from '../../domain/scope.ts';
import type { Event } from '../../model/events/contracts.ts';
import { newEvent } from '../../model/events/new-event.ts';
import type { ConsumeOptions, EventTransport } from '../../messaging/transport.ts';
import { sampleSnapshot } from '../../test/events.ts';
import { LiveHub } from './live-hub.ts';
import { startLiveFeed } from './live-feed.ts';

const quiet = pino({ level: 'silent' });
// Without `after` the stream never touches the database.
const scopeOf = (userId: string): Scope => ({ db: undefined as never, userId });

/** One user's task events in sequence, as the outbox numbers them. */
function outbox() {
  const rows: { seq: number; event: Event }[] = [];
  return {
    rows,
    append(event: Event) {
      rows.push({ seq: rows.length + 1, event });
    },
    lastSeq: async () => rows.length,
    eventsAfter: async (_userId: string, after: number, limit: number) =>
      rows.filter((row) => row.seq > after).slice(0, limit),
  };
}

/** A transport that only records how the feed asked to consume. */
function recordingTransport() {
  const asked: ConsumeOptions[] = [];
  const transport = {
    kind: 'in-process',
    consume: async (options: ConsumeOptions) => {
      asked.push(options);
      return { stop: async () => {} };
    },
  } as unknown as EventTransport;
  return { transport, asked };
}

it('reads the task events of every subscriber again when the feed rejoined Kafka, not before', async () => {
  const events = outbox();
  const hub = new LiveHub({ reader: events });
  const { transport, asked } = recordingTransport();
  await startLiveFeed({ transport, hub, logger: quiet, groupId: 'live-feed-spec' });
  const stream = await taskEventUpdates(scopeOf('alice'), hub, null);

  // Committed and numbered while the feed was away from Kafka: no message says so.
  const task = sampleSnapshot({ title: 'While the feed was away' });
  events.append(newEvent('task.created', 'alice', task.id, { task }));
  const next = stream.next();
  asked[0]!.onStatus!({ state: 'joined', rejoined: false });
  asked[0]!.onStatus!({ state: 'interrupted' });
  const early = await Promise.race([
    next,
    new Promise((resolve) => setTimeout(resolve, 50, 'nothing yet')),
  ]);
  expect(early).toBe('nothing yet');

  asked[0]!.onStatus!({ state: 'joined', rejoined: true });
  expect((await next).value).toMatchObject({ type: 'task.created', task: { id: task.id } });
  await stream.return(undefined);
});
