import type { Logger } from '../lib/logger.ts';

/** How long stopping waits for one Kafka client to disconnect. */
export const DISCONNECT_WAIT_MS = 4_000;

/**
 * Disconnects a kafkajs client, waiting at most `waitMs`: after a broker outage kafkajs can spend
 * longer leaving a group, and a process must still stop within its 10 s.
 */
export async function disconnectWithin(
  client: { disconnect(): Promise<void> },
  logger: Logger,
  waitMs = DISCONNECT_WAIT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, waitMs, 'timeout');
  });
  const outcome = await Promise.race([
    client.disconnect().catch((error: unknown) => {
      logger.warn({ err: error }, 'a Kafka client failed to disconnect cleanly');
    }),
    waited,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') logger.warn('a Kafka client did not disconnect in time; left it');
}
