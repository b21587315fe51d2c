import { backoffMs } from '../../lib/backoff.ts';
import type { Logger } from '../../lib/logger.ts';
import { KafkaAccessError } from '../../messaging/kafka-access-error.ts';
import type { EventTransport, TopicSpec } from '../../messaging/transport.ts';
import type { ReadinessCheck } from '../ops/readiness.ts';

/** Waits between attempts while the broker is away: from about 0.5 s, doubling, up to 5 s. */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 5_000;

/** The product's topics, created now or as soon as the broker answers. */
export interface TopicSetup {
  /** For `/ready`: fails, saying why, until the topics exist. */
  check: ReadinessCheck;
  /**
   * Rejects with the KafkaAccessError when the broker, away at start, refuses this client once
   * it answers: the configuration must change. Never resolves.
   */
  refused: Promise<never>;
  /** Stops trying. */
  stop(): void;
}

/**
 * Creates the missing `topics`. A refusal (KafkaAccessError) is thrown at once. Any other
 * failure (the broker is away) lets the role start anyway: creation is tried again in the
 * background, with backoff, until it succeeds; consumers wait for the topics on their own
 * (see KafkaMember), and publishing fails until the broker answers, to be retried by its caller.
 */
export async function setUpTopics(
  transport: EventTransport,
  topics: TopicSpec[],
  logger: Logger,
): Promise<TopicSetup> {
  let failure: unknown;
  let done = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp = () => {};
  let refuse: (error: unknown) => void = () => {};
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  // Whoever runs the role may not listen; a refusal is logged where it happens either way.
  refused.catch(() => undefined);

  const tryOnce = async () => {
    try {
      await transport.ensureTopics(topics);
      done = true;
    } catch (error) {
      if (error instanceof KafkaAccessError) throw error;
      failure = error;
    }
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    });

  await tryOnce();
  if (!done) {
    logger.warn(
      { err: failure },
      'Kafka is unreachable; starting anyway and creating the topics once it answers',
    );
    void (async () => {
      for (let attempt = 1; !done && !stopped; attempt++) {
        await sleep(backoffMs(attempt, RETRY_BASE_MS, RETRY_MAX_MS));
        if (stopped) return;
        await tryOnce().catch((error: unknown) => {
          stopped = true;
          refuse(error);
        });
        if (done) logger.info({ attempts: attempt + 1 }, 'Kafka answered; the topics are set up');
      }
    })();
  }
  return {
    check: async () => {
      if (done) return;
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new Error(`Kafka topics not set up yet: ${reason}`);
    },
    refused,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      wakeUp();
    },
  };
}
