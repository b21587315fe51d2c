import { recurCompletedTask } from '../../domain/recurrence/recur.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { metrics } from '../../lib/metrics.ts';
import type { ConsumerSpec } from '../runtime/run-consumer.ts';

/**
 * The recurring task service: for every completion of a recurring task, the next instance.
 * An invalid stored rule (which the API never accepts) fails permanently: the message goes to
 * the dead-letter topic.
 */
export const recurrenceConsumer: ConsumerSpec = {
  group: 'recurrence',
  topics: [TOPICS.taskEvents.name],
  types: ['task.completed'],
  async handle(event, { trx, logger, afterCommit }) {
    if (event.type !== 'task.completed' || !event.payload.task.recurrenceRule) return;
    const outcome = await recurCompletedTask(trx, event.userId, event.taskId);
    if (outcome === 'created') afterCommit(() => metrics.instancesCreated.inc());
    logger.info({ taskId: event.taskId, outcome }, 'recurrence');
  },
};
