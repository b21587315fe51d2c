import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger.ts';
import type { KafkaTransport } from '../messaging/kafka-transport.ts';
import type { Consumer } from '../messaging/transport.ts';
import { OutboxRelay } from '../outbox/relay.ts';
import { startLiveFeed } from '../server/live/live-feed.ts';
import type { TestApi } from './api.ts';
import { createTask } from './api.ts';
import { testKafka, testTopics } from './kafka.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once a test API's live feed delivers: a feed starts at the newest message after its
 * group joined, so a probe task is written every 500 ms, up to `attempts` times, until one reaches
 * a hub subscription.
 */
export async function waitForLiveFeed(api: TestApi, attempts: number): Promise<void> {
  const probe = await api.user('probe');
  const events = api.app.live.subscribe(probe.userId, 'taskEvents');
  let arrived = false;
  void events[Symbol.asyncIterator]()
    .next()
    .then(() => (arrived = true));
  for (let attempt = 0; !arrived && attempt < attempts; attempt++) {
    await createTask(probe, { title: `probe ${attempt}` });
    await pause(500);
  }
  events.close();
  if (!arrived) throw new Error(`the live feed delivered nothing within ${attempts / 2} s`);
}

/** A relay and a live feed for a test API, through the run's real Kafka broker. */
export interface LivePipeline {
  transport: KafkaTransport;
  relay: OutboxRelay;
  stop(): Promise<void>;
}

/**
 * Starts what carries a test API's writes to its live subscribers (the relay, Kafka, the live
 * feed) and resolves once the feed delivers (see {@link waitForLiveFeed}).
 */
export async function startLivePipeline(api: TestApi, logger: Logger): Promise<LivePipeline> {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const relay = new OutboxRelay({ knex: api.knex, transport, logger, listenUrl: api.databaseUrl });
  await relay.start();
  let feed: Consumer | undefined;
  const stop = async () => {
    await feed?.stop();
    await relay.stop();
    await transport.close();
  };
  try {
    feed = await startLiveFeed({
      transport,
      hub: api.app.live,
      logger,
      groupId: `api-live-test-${randomUUID()}`,
    });
    await waitForLiveFeed(api, 60);
  } catch (error) {
    await stop();
    throw error;
  }
  return { transport, relay, stop };
}
