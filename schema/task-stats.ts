import {
  STATS_DAYS_DEFAULT,
  STATS_DAYS_MAX,
  taskStats,
  type DayCount as DayCountShape,
  type TaskStats as TaskStatsShape,
} from '../domain/task-stats.ts';
import { builder } from './builder.ts';
import { scopeOf } from './scope.ts';

const DayCount = builder.objectRef<DayCountShape>('DayCount').implement({
  description: 'How many of your tasks were completed on one calendar day.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD, in the time zone asked for.' }),
    count: t.exposeInt('count'),
  }),
});

const TaskStats = builder.objectRef<TaskStatsShape>('TaskStats').implement({
  description: 'Figures about your tasks, for an overview.',
  fields: (t) => ({
    completedPerDay: t.field({
      type: [DayCount],
      description:
        'Tasks completed on each of the last days up to today, oldest first; days without completions count 0.',
      resolve: (stats) => stats.completedPerDay,
    }),
    overdueCount: t.exposeInt('overdueCount', {
      description: 'Pending tasks whose due date has passed (see overdueTasks).',
    }),
    pendingCount: t.exposeInt('pendingCount'),
    completedCount: t.exposeInt('completedCount', { description: 'Completed tasks, ever.' }),
  }),
});

builder.queryField('taskStats', (t) =>
  t.field({
    type: TaskStats,
    description:
      'Your tasks completed per day over the last `days` days (today included, midnight to midnight in `timeZone`), and your overdue, pending and completed counts.',
    args: {
      days: t.arg.int({
        defaultValue: STATS_DAYS_DEFAULT,
        description: `1-${STATS_DAYS_MAX} (default ${STATS_DAYS_DEFAULT}).`,
      }),
      timeZone: t.arg.string({
        description: 'An IANA time zone such as Europe/Berlin (default UTC): where a day begins.',
      }),
    },
    complexity: 5,
    resolve: (_root, args, ctx) => taskStats(scopeOf(ctx), args),
  }),
);
