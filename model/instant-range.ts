/**
 * The instants the whole system carries: every one is a date of the years 0001-9999 in UTC and
 * in every time zone, as ISO 8601 writes it with four digits, the event contract accepts it and
 * the recurrence code computes with it. No zone's offset has ever reached a day (the largest,
 * local mean times of the 19th century, stay under 16 hours), so a day's margin at either end
 * keeps the wall-clock year of any zone in range, and a task's time zone can change without
 * putting its dates out of range.
 */

/** The first instant the system carries. */
export const EARLIEST_INSTANT = Date.parse('0001-01-02T00:00:00.000Z');

/** The last instant the system carries. */
export const LATEST_INSTANT = Date.parse('9999-12-30T23:59:59.999Z');

/** What a date out of range is told. */
export const INSTANT_RANGE_MESSAGE =
  'must be from 0001-01-02T00:00:00.000Z to 9999-12-30T23:59:59.999Z, ' +
  'so that it is a date of the years 0001-9999 in UTC and in every time zone';

/** Whether `date` is a valid instant the system carries. */
export function isCarriedInstant(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST_INSTANT && time <= LATEST_INSTANT;
}
