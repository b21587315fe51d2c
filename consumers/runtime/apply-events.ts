import type { Knex } from 'knex';
import type { Event } from '../../model/events/contracts.ts';
import type { IncomingMessage } from '../../messaging/transport.ts';
import type { Logger } from '../../lib/logger.ts';
import { isRetriable } from '../../messaging/errors.ts';
import { recordProcessed, recordProcessedEvents } from '../../inbox/record-processed.ts';
import type { ConsumerSpec } from './consumer-spec.ts';
import type { DeadLetter } from './dead-letter.ts';

/** A message that parsed as an event the consumer wants. */
export interface Wanted {
  event: Event;
  message: IncomingMessage;
}

/** Where events are applied, and by what. */
export interface Applier {
  knex: Knex;
  spec: ConsumerSpec;
  logger: Logger;
}

const eventLogger = (logger: Logger, event: Event) =>
  logger.child({ eventId: event.id, eventType: event.type });

/**
 * Applies `wanted` in one transaction: one statement records every id in the inbox and tells
 * which are new, then the handler applies the new ones together (`handleBatch`) or one after the
 * other (`handle`). Rejects with the handler's error after rolling everything back; the
 * `afterCommit` effects run only once the transaction has committed.
 */
export async function applyTogether(applier: Applier, wanted: Wanted[]): Promise<void> {
  const { knex, spec, logger } = applier;
  const effects: Array<() => void> = [];
  const afterCommit = (effect: () => void) => void effects.push(effect);
  await knex.transaction(async (trx) => {
    const fresh = await recordProcessedEvents(
      trx,
      spec.group,
      wanted.map(({ event }) => event.id),
    );
    // Deleting as we go keeps only the first copy of an event delivered twice in one batch.
    const news = wanted.filter(({ event }) => fresh.delete(event.id));
    if (news.length === 0) return;
    if (spec.handleBatch) {
      return spec.handleBatch(
        news.map(({ event }) => event),
        { trx, logger, afterCommit },
      );
    }
    for (const { event, message } of news) {
      await spec.handle(event, { trx, message, logger: eventLogger(logger, event), afterCommit });
    }
  });
  for (const effect of effects) effect();
}

/**
 * Applies `wanted` in one transaction with a savepoint per event, so that an event whose handler
 * fails for good is rolled back alone; resolves to those events, for the dead-letter topic. A
 * transient failure rolls back the whole transaction and rejects.
 */
export async function applyOneByOne(applier: Applier, wanted: Wanted[]): Promise<DeadLetter[]> {
  const { knex, spec, logger } = applier;
  const committed: Array<() => void> = [];
  const failed = await knex.transaction(async (trx) => {
    const failed: DeadLetter[] = [];
    for (const { event, message } of wanted) {
      const effects: Array<() => void> = [];
      try {
        await trx.transaction(async (savepoint) => {
          if (!(await recordProcessed(savepoint, spec.group, event.id))) return;
          await spec.handle(event, {
            trx: savepoint,
            message,
            logger: eventLogger(logger, event),
            afterCommit: (effect) => effects.push(effect),
          });
        });
        committed.push(...effects);
      } catch (error) {
        if (isRetriable(error)) throw error;
        failed.push({ message, reason: `handler failed: ${(error as Error).message}` });
      }
    }
    return failed;
  });
  for (const effect of committed) effect();
  return failed;
}
