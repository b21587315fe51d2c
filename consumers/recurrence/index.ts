import { recurCompletedTask } from '../../domain/recurrence/recur.ts';
import { lockTasks } from '../../db/task-rows.ts';
import type { Event } from '../../model/events/contracts.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { metrics } from '../../lib/metrics.ts';
import type { ConsumerSpec } from '../runtime/run-consumer.ts';

const isRecurringCompletion = (event: Event): event is Event<'task.completed'> =>
  event.type === 'task.completed' &&
  Boolean((event as Event<'task.completed'>).payload.task.recurrenceRule);

/**
 * The recurring task service: for every completion of a recurring task, the next instance.
 * An invalid stored rule (which the API never accepts) fails permanently: the message goes to
 * the dead-letter topic. Finding the next date is bounded (see search-limit.ts), so no rule holds
 * the partition: one whose next date is beyond the search ends its series (`task.recurred` with
 * `seriesEnded`), logged as a warning, and the partition goes on. A batch locks all its tasks
 * first, in id order, as API writes do (see writeTransaction), so the two never deadlock.
 */
export const recurrenceConsumer: ConsumerSpec = {
  group: 'recurrence',
  topics: [TOPICS.taskEvents.name],
  types: ['task.completed'],
  async handle(event, { trx, logger, afterCommit }) {
    if (!isRecurringCompletion(event)) return;
    const outcome = await recurCompletedTask(trx, event.userId, event.taskId);
    if (outcome === 'created') afterCommit(() => metrics.instancesCreated.inc());
    if (outcome === 'beyond-search') {
      logger.warn(
        { taskId: event.taskId, outcome, rule: event.payload.task.recurrenceRule },
        'recurrence: the next date is beyond the search for it; the series ends',
      );
    } else logger.info({ taskId: event.taskId, outcome }, 'recurrence');
  },
  async handleBatch(events, context) {
    await lockTasks(
      context.trx,
      'any user',
      events.filter(isRecurringCompletion).map((event) => event.taskId),
    );
    for (const event of events) await this.handle(event, context);
  },
};
