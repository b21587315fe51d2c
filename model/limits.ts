/**
 * Every limit of the product, in one place. The database enforces the same numbers (see the
 * migrations); `db/migrations/constraints.spec.ts` keeps the two in step.
 */
export const LIMITS = {
  titleLength: 200,
  descriptionLength: 10_000,
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
