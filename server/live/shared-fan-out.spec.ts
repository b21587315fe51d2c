import { jest } from '@jest/globals';
import { parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { newEvent } from '../../model/events/new-event.ts';
import { schema } from '../../schema/index.ts';
import { sampleSnapshot } from '../../test/events.ts';
import { LiveHub } from './live-hub.ts';
import { HIGH_WATER_BYTES, runLiveStream } from './live-stream.ts';
import { sharedLiveField, shareKeyOf, SharedResults } from './shared-operation.ts';

// Unit tests of the WebSocket fan-out alone: an in-memory outbox and a stand-in socket.
const outbox: { seq: number; event: ReturnType<typeof created> }[] = [];
const created = (userId: string, title: string) => {
  const task = sampleSnapshot({ title });
  return newEvent('task.created', userId, task.id, { task });
};
const publish = (hub: LiveHub, userId: string, title: string) => {
  const event = created(userId, title);
  outbox.push({ seq: outbox.length + 1, event });
  hub.publish(event);
};
const newHub = (queueCapacity?: number) =>
  new LiveHub({
    queueCapacity,
    reader: {
      lastSeq: async (userId) => outbox.filter((row) => row.event.userId === userId).length,
      eventsAfter: async (userId, after) =>
        outbox
          .filter((row) => row.event.userId === userId)
          .map((row, i) => ({ seq: i + 1, event: row.event }))
          .filter((row) => row.seq > after),
    },
  });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A socket that keeps what it is sent; `bufferedAmount` is set by the test. */
function fakeSocket() {
  const sent: string[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    sent,
    send: (d: string) => sent.push(d),
  };
  return socket as unknown as WebSocket & { sent: string[]; bufferedAmount: number };
}

function subscribe(
  hub: LiveHub,
  shared: SharedResults,
  socket: WebSocket,
  id: string,
  userId: string,
  query: string,
  format: (result: ExecutionResult) => ExecutionResult,
) {
  const args: ExecutionArgs = {
    schema,
    document: parse(query),
    variableValues: { after: null },
    contextValue: { userId, live: hub, knex: undefined, request: new Request('http://test') },
  };
  const key = shareKeyOf(userId, args, sharedLiveField(args)!);
  return runLiveStream({ socket, id, args, key, shared, format }) as Promise<AsyncGenerator>;
}

const QUERY = 'subscription($after: ID) { taskEvents(after: $after) { id task { title } } }';

it('keys subscriptions by user and selection, not by where they start', () => {
  const args = (query: string, variables = {}) => ({
    schema,
    document: parse(query),
    variableValues: variables,
  });
  const key = (userId: string, query: string, variables = {}) => {
    const a = args(query, variables);
    return shareKeyOf(userId, a, sharedLiveField(a)!);
  };
  const plain = key('alice', 'subscription { taskEvents { id } }');
  expect(key('alice', 'subscription { taskEvents(after: "x") { id } }')).toBe(plain);
  expect(key('alice', QUERY, { after: 'y' })).toBe(key('alice', QUERY, { after: 'z' }));
  expect(key('bob', 'subscription { taskEvents { id } }')).not.toBe(plain);
  expect(key('alice', 'subscription { taskEvents { id type } }')).not.toBe(plain);
  expect(sharedLiveField(args('subscription { a: taskEvents { id } b: reminders { id } }'))).toBe(
    undefined,
  );
});

it("executes and serializes an event once for its user's subscribers with one selection, and sends it to no one else", async () => {
  const hub = newHub();
  const shared = new SharedResults();
  const format = jest.fn((result: ExecutionResult) => result);
  const [aliceSocket, bobSocket] = [fakeSocket(), fakeSocket()];
  const streams = await Promise.all([
    subscribe(hub, shared, aliceSocket, 'a1', 'alice', QUERY, format),
    subscribe(hub, shared, aliceSocket, 'a2', 'alice', QUERY, format),
    subscribe(hub, shared, bobSocket, 'b1', 'bob', QUERY, format),
  ]);
  await settle();
  publish(hub, 'alice', 'for alice');
  await settle();

  expect(format).toHaveBeenCalledTimes(1);
  expect(bobSocket.sent).toEqual([]);
  const frames = aliceSocket.sent.map((frame) => JSON.parse(frame));
  expect(frames.map((frame) => frame.id)).toEqual(['a1', 'a2']);
  expect(frames[0].type).toBe('next');
  expect(frames[0].payload).toEqual(frames[1].payload);
  expect(frames[0].payload.data.taskEvents.task.title).toBe('for alice');
  await Promise.all(streams.map((stream) => stream.return(undefined)));
  expect(hub.subscriberCount).toBe(0);
});

it('stops writing to a socket that holds too much; its events wait in the bounded queue, then it is told to resync', async () => {
  const hub = newHub(2);
  const socket = fakeSocket();
  const stream = await subscribe(hub, new SharedResults(), socket, 's', 'carol', QUERY, (r) => r);
  await settle();
  socket.bufferedAmount = HIGH_WATER_BYTES + 1;
  publish(hub, 'carol', '1');
  await settle();
  for (const title of ['2', '3', '4', '5']) publish(hub, 'carol', title);
  await settle();
  expect(socket.sent).toHaveLength(1);

  socket.bufferedAmount = 0;
  await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  const payloads = socket.sent.map((frame) => JSON.parse(frame).payload);
  expect(payloads.slice(0, 3).map((p) => p.data.taskEvents.task.title)).toEqual(['1', '2', '3']);
  expect(payloads[3].errors[0].extensions).toMatchObject({ code: 'RESYNC_REQUIRED' });
  expect(payloads[3].errors[0].extensions.after).toBe(payloads[2].data.taskEvents.id);
  expect(hub.subscriberCount).toBe(0);
});
