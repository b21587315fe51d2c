import type { KafkaTransport } from '../../messaging/kafka-transport.ts';
import { collect, testTopics } from '../../test/kafka.ts';

/** How many copies of each event id the broker holds, over every product topic. */
export async function copiesInBroker(
  transport: KafkaTransport,
  expectedIds: ReadonlySet<string>,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const collector = await collect(
    transport,
    testTopics().map((topic) => topic.name),
  );
  const deadline = Date.now() + timeoutMs;
  const copies = new Map<string, number>();
  let seen = 0;
  try {
    for (;;) {
      for (; seen < collector.messages.length; seen++) {
        const id = collector.messages[seen]!.headers['event-id'];
        if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
      }
      const found = [...expectedIds].filter((id) => copies.has(id)).length;
      if (found === expectedIds.size || Date.now() > deadline) return copies;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await collector.stop();
  }
}
