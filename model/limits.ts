/**
 * Every limit of the product, in one place. The database enforces the same numbers (see the
 * migrations); `db/migrations/constraints.spec.ts` keeps the two in step.
 */
export const LIMITS = {
  titleLength: 200,
  descriptionLength: 10_000,
  /**
   * A description's size as events carry it: UTF-8 once JSON-escaped (a control character
   * takes 6 bytes). 10,000 characters of any ordinary text fit (at most 30,000 bytes); the
   * bound keeps the largest task event near 45 KB, far under the relay's request bound.
   */
  descriptionJsonBytes: 40_000,
  categoryNameLength: 50,
  tagNameLength: 30,
  categoriesPerUser: 50,
  tagsPerUser: 100,
  tagsPerTask: 10,
  searchQueryLength: 500,
  recurrenceRuleLength: 500,
  remindBeforeMinutesMax: 525_600,
  idempotencyKeyLength: 200,
  pageSizeDefault: 20,
  pageSizeMax: 100,
  upcomingHoursDefault: 24,
  upcomingHoursMax: 24 * 366,
} as const;
