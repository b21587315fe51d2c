import type { RRule } from 'rrule';

/** Thrown out of an rrule walk that has examined the periods it was allowed. */
export class PeriodLimitReached extends Error {}

/**
 * Makes walking `rule` throw PeriodLimitReached once it has examined `periods` periods (days,
 * weeks, months or years, whatever its frequency), counted over the rule's life: walk it once.
 *
 * rrule has no such bound: it checks UNTIL and COUNT on matching days only, so it walks a rule
 * that never matches to the year 9999. Its walk (rrule 2.8, `iter` in iter/index.js) reads the
 * option `interval` once before the first period and twice after each (its end-of-period check
 * and `DateTime.add`), so counting those reads counts periods. search-limit.spec.ts checks the
 * exact count, and fails if an upgrade of rrule changes that.
 */
export function limitPeriods(rule: RRule, periods: number): void {
  // The read that ends period `periods` is read number 2 * periods.
  const allowed = 2 * periods - 1;
  const { interval } = rule.options;
  let reads = 0;
  // An accessor on the one option, not a Proxy: rrule reads the others for every day it filters.
  Object.defineProperty(rule.options, 'interval', {
    get() {
      if (++reads > allowed) throw new PeriodLimitReached();
      return interval;
    },
  });
}
