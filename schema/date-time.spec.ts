import { DateTime } from './date-time.ts';

it('serializes to the ISO string JSON gives a Date, from a Date or a date-time string', () => {
  const at = new Date('2026-11-30T19:02:15.296Z');
  expect(DateTime.serialize(at)).toBe(JSON.parse(JSON.stringify(at)));
  expect(DateTime.serialize('2026-11-30T20:02:15.296+01:00')).toBe('2026-11-30T19:02:15.296Z');
});

it('refuses what is not a date, as graphql-scalars does', () => {
  expect(() => DateTime.serialize(new Date(Number.NaN))).toThrow(/invalid Date/);
  expect(() => DateTime.serialize('yesterday')).toThrow(/invalid date-time-string/);
  expect(() => DateTime.serialize(true)).toThrow(/cannot be serialized/);
});
