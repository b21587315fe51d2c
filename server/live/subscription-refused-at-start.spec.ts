import { randomUUID } from 'node:crypto';
import { useTestApi } from '../../test/api.ts';
import { eventually } from '../../test/kafka.ts';
import { wsClient, wsSubscribe } from '../../test/live.ts';

const api = useTestApi();

const TASK_EVENTS = 'subscription($after: ID) { taskEvents(after: $after) { id type } }';

/** Opens the subscription over HTTP with `accept`, and reads the whole answer. */
async function subscribe(token: string, after: string, accept: string) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept,
    },
    body: JSON.stringify({ query: TASK_EVENTS, variables: { after } }),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, body: await response.text() };
}

describe.each([
  ['SSE', 'text/event-stream'],
  ['plain JSON', 'application/json'],
  ['GraphQL response JSON', 'application/graphql-response+json'],
])('taskEvents refused at its start over %s', (_, accept) => {
  it.each([
    ['a malformed after', 'not-an-event-id', 'VALIDATION_ERROR'],
    ['an unknown after', randomUUID(), 'RESYNC_REQUIRED'],
  ])('answers %s with the typed error, not a server failure', async (__, after, code) => {
    const user = await api.user();
    const { status, body } = await subscribe(user.token, after, accept);
    expect(status).toBeLessThan(500);
    expect(body).toContain(`"code":"${code}"`);
    expect(body).not.toContain('Unexpected error');
  });
});

describe('taskEvents refused at its start over WebSocket', () => {
  it.each([
    ['a malformed after', 'not-an-event-id', 'VALIDATION_ERROR'],
    ['an unknown after', randomUUID(), 'RESYNC_REQUIRED'],
  ])('answers %s with the typed error and no server internals', async (_, after, code) => {
    const user = await api.user();
    const client = wsClient(api.url, user.token);
    try {
      const subscriber = await wsSubscribe(client, TASK_EVENTS, { after });
      await eventually(() => subscriber.ended, 'the subscription to end');
      const [error] = subscriber.received.flatMap((received) => received.errors ?? []);
      expect(error!.extensions).toMatchObject({ code });
      expect(error!.extensions).not.toHaveProperty('http');
    } finally {
      await client.dispose();
    }
  });
});
