import { recurCompletedTask } from '../../domain/recurrence/recur.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { metrics } from '../../lib/metrics.ts';
import type { ConsumerSpec } from '../runtime/run-consumer.ts';

/**
 * The recurring task service: for every completion of a recurring task, the next instance.
 * An invalid stored rule (which the API never accepts) fails permanently: the message goes to
 * the dead-letter topic. Finding the next date is bounded (see search-limit.ts), so no rule holds
 * the partition: one whose next date is beyond the search ends its series (`task.recurred` with
 * `seriesEnded`), logged as a warning, and the partition goes on.
 */
export const recurrenceConsumer: ConsumerSpec = {
  group: 'recurrence',
  topics: [TOPICS.taskEvents.name],
  types: ['task.completed'],
  async handle(event, { trx, logger, afterCommit }) {
    if (event.type !== 'task.completed' || !event.payload.task.recurrenceRule) return;
    const outcome = await recurCompletedTask(trx, event.userId, event.taskId);
    if (outcome === 'created') afterCommit(() => metrics.instancesCreated.inc());
    if (outcome === 'beyond-search') {
      logger.warn(
        { taskId: event.taskId, outcome, rule: event.payload.task.recurrenceRule },
        'recurrence: the next date is beyond the search for it; the series ends',
      );
    } else logger.info({ taskId: event.taskId, outcome }, 'recurrence');
  },
};
