import { z } from 'zod';
import { parseInput, fields } from '../validation.ts';
import { MAX_OCCURRENCES, occurrencesAfter } from './occurrences.ts';
import { parseRecurrenceRule } from './rule.ts';

const previewInput = z.object({
  rule: fields.recurrenceRule,
  startAt: fields.instant,
  timeZone: fields.timeZone,
  count: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(MAX_OCCURRENCES, `must be at most ${MAX_OCCURRENCES}`),
});

/**
 * The next `count` occurrences of `rule` strictly after `startAt`, for a series starting at
 * `startAt` in `timeZone`: what a client shows as "next: Mon 9:00, Wed 9:00, ...". The same
 * computation the recurring task service uses, within the same bounds: fewer than `count` when
 * the series ends or the next one lies beyond the search (see search-limit.ts).
 * @throws ValidationError naming the argument that breaks its rule.
 * @throws LimitExceededError (limit `recurrenceSearch`) when no occurrence lies within the search.
 */
export function recurrencePreview(raw: {
  rule: string;
  startAt: Date;
  timeZone: string;
  count: number;
}): Date[] {
  const input = parseInput(previewInput, raw);
  const rule = parseRecurrenceRule(input.rule);
  // startAt is the series' first instance, which COUNT includes even when it is not on the rule.
  const count = rule.count === undefined ? input.count : Math.min(input.count, rule.count - 1);
  return occurrencesAfter(rule, {
    dtstart: input.startAt,
    after: input.startAt,
    timeZone: input.timeZone,
    count,
  });
}
