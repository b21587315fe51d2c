import { nextInstancesOf } from '../domain/recurrence/next-instances.ts';
import { inTurn } from '../domain/recurrence/turns.ts';
import { MAX_OCCURRENCES } from '../model/recurrence/occurrences.ts';
import { recurrencePreview } from '../model/recurrence/preview.ts';
import { searchComplexity } from '../model/recurrence/search-limit.ts';
import { skipOccurrence } from '../domain/recurrence/skip.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';
import { Task } from './task.ts';

builder.objectFields(Task, (t) => ({
  seriesId: t.exposeID('seriesId', {
    nullable: true,
    description: 'Shared by every instance of a recurring series.',
  }),
  seriesIndex: t.exposeInt('seriesIndex', { description: '1 for the first instance of a series.' }),
  nextInstance: t.loadable({
    type: Task,
    nullable: true,
    description:
      'The instance the recurring task service created when this one was completed; null until it exists ' +
      '(it follows within moments; the `task.recurred` event announces it).',
    load: (ids: string[], ctx) => nextInstancesOf(scopeOf(ctx), ids),
    resolve: (task) => task.id,
  }),
}));

builder.queryField('recurrencePreview', (t) =>
  t.field({
    type: ['DateTime'],
    description:
      'The next `count` (1-100) occurrences of an RRULE strictly after `startAt`, in `timeZone`: ' +
      'what a client shows as "next: Mon 9:00, Wed 9:00". The same computation the recurring task service uses. ' +
      'Occurrences are looked for within a bounded search, whatever `count`: 5,000 days (about 13 years), ' +
      '2,500 weeks, 1,250 months or 500 years after `startAt`, times INTERVAL. Fewer than `count` come back when ' +
      'the series ends or the next one lies beyond it (ask again from the last one), and a LimitExceededError ' +
      '(limit `recurrenceSearch`) when none lies within it. Each preview counts that search against the complexity limit.',
    args: {
      rule: t.arg.string({ required: true }),
      startAt: t.arg({ type: 'DateTime', required: true }),
      timeZone: t.arg.string({ required: true }),
      count: t.arg.int({ required: true }),
    },
    complexity: (args) => ({
      field: searchComplexity(Math.max(1, Math.min(args.count, MAX_OCCURRENCES))),
      multiplier: 1,
    }),
    resolve: (_root, args) => inTurn(() => recurrencePreview(args)),
  }),
);

builder.mutationField('skipOccurrence', (t) =>
  t.field({
    type: Task,
    description:
      'Moves a pending recurring task to its next occurrence without completing it; the skipped ' +
      'occurrence counts towards COUNT. A LimitExceededError (limit `recurrenceSearch`) when the next ' +
      'occurrence lies beyond the search for it (see recurrencePreview).',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: MUTATION_ERRORS, dataField: { name: 'task' } },
    resolve: (_root, { id }, ctx) => skipOccurrence(scopeOf(ctx), String(id)),
  }),
);
