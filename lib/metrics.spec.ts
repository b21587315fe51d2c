import { createTask, useTestApi } from '../test/api.ts';
import { eventually } from '../test/kafka.ts';
import { wsClient, wsSubscribe } from '../test/live.ts';
import { renderMetrics } from './metrics.ts';

const api = useTestApi();

/** What the metrics server (server/ops/metrics-server.spec.ts) serves the scraper. */
const scrape = async () => {
  const { contentType, body } = await renderMetrics();
  expect(contentType).toContain('text/plain');
  return body;
};
const valueOf = (text: string, metric: string) =>
  Number(new RegExp(`^${metric} (\\S+)$`, 'm').exec(text)?.[1]);

it('serves request latency, live connections and the product metrics in Prometheus format; no resolver timing unless configured', async () => {
  const user = await api.user();
  await createTask(user, { title: 'Measured' });
  const client = wsClient(api.url, user.token);
  const subscriber = await wsSubscribe(client, 'subscription { reminders { id } }');
  try {
    await eventually(() => api.app.live.subscriberCount === 1, 'the subscription', 5_000);
    const text = await scrape();
    expect(text).toMatch(/^graphql_yoga_http_duration_bucket\{.*\} \d+$/m);
    // Resolver timing is off by default (METRICS_RESOLVERS; see resolver-metrics.spec.ts).
    expect(text).not.toMatch(/^graphql_envelop_execute_resolver/m);
    expect(valueOf(text, 'todo_websocket_connections')).toBe(1);
    expect(valueOf(text, 'todo_live_subscribers')).toBe(1);
    for (const metric of [
      'todo_outbox_backlog',
      'todo_outbox_oldest_unsent_age_seconds',
      'todo_kafka_consumer_lag',
      'todo_reminders_sent_total',
      'todo_recurrence_instances_created_total',
      'todo_messages_dead_lettered_total',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${metric} `);
    }
  } finally {
    await subscriber.stop();
    await client.dispose();
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(valueOf(await scrape(), 'todo_websocket_connections')).toBe(0);
});

it('exposes no user data', async () => {
  const text = await scrape();
  expect(text).not.toContain('Measured');
  expect(text).not.toMatch(/user-/);
});
