import { DateTime, isoString } from './date-time.ts';

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

it('writes every date as toISOString does, across the years and at their edges', () => {
  const edges = [
    -8.64e15,
    -62198755200000,
    -62198755200001,
    -30610224000001,
    -30610224000000,
    0,
    -1,
    999,
    253402300799999,
    253402300800000,
    8.64e15,
    Date.UTC(2024, 1, 29, 23, 59, 59, 9),
  ];
  const random = Array.from({ length: 20_000 }, () =>
    Math.round((Math.random() * 2 - 1) * 8.64e15),
  );
  const recent = Array.from({ length: 20_000 }, () => Math.round(Math.random() * 4.1e12));
  for (const ms of [...edges, ...random, ...recent]) {
    const date = new Date(ms);
    expect(isoString(date)).toBe(date.toISOString());
  }
});

it('leaves an invalid date to toISOString, which refuses it', () => {
  expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
});
