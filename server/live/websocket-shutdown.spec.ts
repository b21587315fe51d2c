import WebSocket from 'ws';
import { startTestApi } from '../../test/api.ts';
import { sseSubscribe, wsUrlOf } from '../../test/live.ts';
import { eventually } from '../../test/kafka.ts';

it('stopping the server closes WebSockets with 1012 (reconnect) and ends SSE streams', async () => {
  const api = await startTestApi();
  const user = await api.user();
  const socket = new WebSocket(wsUrlOf(api.url), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const acknowledged = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve();
    }),
  );
  socket.on('open', () =>
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${user.token}` },
      }),
    ),
  );
  await acknowledged;
  socket.send(
    JSON.stringify({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { taskEvents { id } }' },
    }),
  );
  const sse = await sseSubscribe(api.url, user.token, 'subscription { reminders { id } }');
  await eventually(() => api.app.live.subscriberCount === 2, 'both subscriptions', 5_000);

  const stopping = api.close();
  expect(await closed).toBe(1012);
  await eventually(() => sse.ended, 'the SSE stream to end', 5_000);
  await stopping;
});
