import pg from 'pg';

/** node-postgres's own parser (postgres-date), taken before db/knex.ts installs the one below. */
const parseDate = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (
  text: string,
) => Date | number | null;

const MINUS = 45;
const PLUS = 43;
const COLON = 58;
const DOT = 46;

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);

/** Whether `text` has the separators of `YYYY-MM-DD HH:MM:SS` where PostgreSQL puts them. */
const dateTimeShaped = (text: string) =>
  text.charCodeAt(4) === MINUS &&
  text.charCodeAt(7) === MINUS &&
  text.charCodeAt(10) === 32 &&
  text.charCodeAt(13) === COLON &&
  text.charCodeAt(16) === COLON;

/**
 * A timestamptz as node-postgres's own parser (postgres-date) reads it, in a third of its time
 * (measured: 185 against 550 ns), for what PostgreSQL's ISO output always looks like in years
 * 100-9999: `YYYY-MM-DD HH:MM:SS`, up to 6 fraction digits, and the session's UTC offset
 * (`+HH`, `+HH:MM` or `+HH:MM:SS`). Anything else (`infinity`, BC, five-digit years) goes to
 * postgres-date. Like it, keeps the milliseconds and drops the rest of the microseconds.
 */
export function parseTimestamptz(text: string): Date | number | null {
  if (text.length < 22 || !dateTimeShaped(text)) return parseDate(text);
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === DOT) {
    for (let scale = 100, d = digit(text, ++at); d >= 0 && d <= 9; d = digit(text, ++at)) {
      ms += d * scale;
      scale /= 10;
    }
  }
  const sign = text.charCodeAt(at);
  if (sign !== PLUS && sign !== MINUS) return parseDate(text);
  let offset = twoDigits(text, at + 1) * 3600;
  at += 3;
  if (text.charCodeAt(at) === COLON) {
    offset += twoDigits(text, at + 1) * 60;
    at += 3;
  }
  if (text.charCodeAt(at) === COLON) {
    offset += twoDigits(text, at + 1);
    at += 3;
  }
  // Date.UTC reads the years 0-99 as 1900-1999.
  if (at !== text.length || year < 100) return parseDate(text);
  const utc = Date.UTC(
    year,
    twoDigits(text, 5) - 1,
    twoDigits(text, 8),
    twoDigits(text, 11),
    twoDigits(text, 14),
    twoDigits(text, 17),
    Math.trunc(ms),
  );
  return new Date(utc - (sign === MINUS ? -offset : offset) * 1000);
}
