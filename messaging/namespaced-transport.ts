import type { ConsumeOptions, EventTransport, IncomingMessage } from './transport.ts';

/** What a namespace may hold: Kafka's own topic-name characters, short enough for any topic. */
export const KAFKA_NAMESPACE = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `inner` with every topic and consumer group of this deployment under `namespace`: the topic
 * `task-events` is `<namespace>.task-events` on the broker, the group `recurrence-service` is
 * `<namespace>.recurrence-service`, so deployments (production and staging, two tenants) can
 * share one Kafka cluster without reading each other's events. The rest of the product keeps
 * using the plain names: messages handed to consumers carry them too.
 */
export function namespacedTransport(inner: EventTransport, namespace: string): EventTransport {
  if (!KAFKA_NAMESPACE.test(namespace)) {
    throw new Error(
      `Kafka namespace ${JSON.stringify(namespace)} is not 1-100 letters, digits, '.', '_' or '-'`,
    );
  }
  const prefix = `${namespace}.`;
  const onBroker = (name: string) => `${prefix}${name}`;
  const plainTopic = (topic: string) =>
    topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
  const plain = (message: IncomingMessage): IncomingMessage => ({
    ...message,
    topic: plainTopic(message.topic),
  });
  const consumeOptions = (options: ConsumeOptions): ConsumeOptions => ({
    ...options,
    groupId: onBroker(options.groupId),
    topics: options.topics.map(onBroker),
    onLag:
      options.onLag &&
      ((topic, partition, lag) => options.onLag!(plainTopic(topic), partition, lag)),
    handle: options.handle && ((message) => options.handle!(plain(message))),
    handleBatch: options.handleBatch && ((messages) => options.handleBatch!(messages.map(plain))),
  });
  return {
    kind: inner.kind,
    ensureTopics: (topics) =>
      inner.ensureTopics(topics.map((topic) => ({ ...topic, name: onBroker(topic.name) }))),
    publish: (messages) =>
      inner.publish(messages.map((message) => ({ ...message, topic: onBroker(message.topic) }))),
    consume: (options) => inner.consume(consumeOptions(options)),
    healthCheck: () => inner.healthCheck(),
    close: () => inner.close(),
  };
}
