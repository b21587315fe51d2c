import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * The product's Prometheus metrics, on prom-client's default registry, which every role serves
 * at `/metrics` on its metrics port (server/ops/metrics-server.ts), never on the API's. GraphQL
 * request and resolver latency come from yoga's Prometheus plugin (server/plugins/use-metrics.ts);
 * process metrics from prom-client's defaults. Keep every label's values a bounded set.
 */
export const metrics = {
  outboxBacklog: new Gauge({
    name: 'todo_outbox_backlog',
    help: 'Outbox rows not yet published to Kafka.',
  }),
  outboxOldestUnsentAge: new Gauge({
    name: 'todo_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when none).',
  }),
  eventsPublished: new Counter({
    name: 'todo_outbox_events_published_total',
    help: 'Events the relay published and the broker acknowledged.',
  }),
  outboxEventsRefused: new Counter({
    name: 'todo_outbox_events_refused_total',
    help: 'Outbox events the broker refused or that were too large to publish, by reason.',
    labelNames: ['reason'] as const,
  }),
  consumerLag: new Gauge({
    name: 'todo_kafka_consumer_lag',
    help: 'Messages behind the end of the partition, after the last batch handled.',
    labelNames: ['group', 'topic', 'partition'] as const,
  }),
  remindersSent: new Counter({
    name: 'todo_reminders_sent_total',
    help: 'Reminders sent (reminder.due events written), by whether they were late.',
    labelNames: ['late'] as const,
  }),
  instancesCreated: new Counter({
    name: 'todo_recurrence_instances_created_total',
    help: 'Next instances of recurring tasks created.',
  }),
  deadLettered: new Counter({
    name: 'todo_messages_dead_lettered_total',
    help: 'Messages sent to the dead-letter topic, by consumer group.',
    labelNames: ['group'] as const,
  }),
  liveSubscribers: new Gauge({
    name: 'todo_live_subscribers',
    help: 'Live GraphQL subscriptions (WebSocket and SSE) connected to this process.',
    collect() {
      this.set(sum((source) => source.subscribers()));
    },
  }),
  webSocketConnections: new Gauge({
    name: 'todo_websocket_connections',
    help: 'Open GraphQL WebSocket connections.',
    collect() {
      this.set(sum((source) => source.connections()));
    },
  }),
  deliveries: new Counter({
    name: 'todo_deliveries_total',
    help: 'Deliveries that reached a final status, by channel kind and outcome.',
    labelNames: ['channel', 'outcome'] as const,
  }),
  deliveryRetries: new Counter({
    name: 'todo_delivery_retries_total',
    help: 'Tries of a delivery that failed and were scheduled again, by channel kind.',
    labelNames: ['channel'] as const,
  }),
  channelsDisabled: new Counter({
    name: 'todo_channels_disabled_total',
    help: 'Channels the delivery service disabled (destination gone or failing too long), by kind.',
    labelNames: ['channel'] as const,
  }),
  deliveryLatency: new Histogram({
    name: 'todo_delivery_latency_seconds',
    help: "From a reminder's time to its acknowledgement by the channel, by channel kind.",
    labelNames: ['channel'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3_600],
  }),
  unreadableEventsSkipped: new Counter({
    name: 'todo_unreadable_events_skipped_total',
    help: 'Stored events a reader skipped because they do not match the event schema, each time one is read.',
  }),
};

/** Something that holds live connections: a running API server. */
export interface LiveConnectionSource {
  subscribers(): number;
  connections(): number;
}

const liveSources = new Set<LiveConnectionSource>();
function sum(count: (source: LiveConnectionSource) => number): number {
  let total = 0;
  for (const source of liveSources) total += count(source);
  return total;
}

/** Counts `source` in the live gauges until the returned function is called. */
export function reportLiveConnections(source: LiveConnectionSource): () => void {
  liveSources.add(source);
  return () => liveSources.delete(source);
}

collectDefaultMetrics();

/** The registry the metrics server serves. */
export const metricsRegistry = register;

/** Renders every metric in the Prometheus text format. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
