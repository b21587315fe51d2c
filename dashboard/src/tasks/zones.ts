/** Dates and times in a named IANA time zone, for the due-date field and the list. */

/** The browser's own time zone (e.g. Europe/Berlin). */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

let zones: string[] | undefined;
/** Every time zone the browser knows, with UTC and the browser's own. */
export function timeZones(): string[] {
  if (!zones) {
    const known = (Intl as { supportedValuesOf?(key: string): string[] }).supportedValuesOf;
    const list = new Set(known ? known('timeZone') : []);
    list.add('UTC');
    list.add(browserZone());
    zones = [...list].sort();
  }
  return zones;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, ms: number): Record<string, number> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** How far `timeZone` is ahead of UTC at the moment `ms`, in milliseconds. */
function offsetAt(timeZone: string, ms: number): number {
  const p = partsIn(timeZone, ms);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The moment (ISO 8601, UTC) of a wall-clock time `local` ("2026-12-01T09:00" or with seconds)
 * in `timeZone`; null when `local` is empty or not a date-time. A time skipped by a DST change
 * becomes the moment just after it.
 */
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?/.exec(local);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0'] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const first = asUtc - offsetAt(timeZone, asUtc);
  const second = asUtc - offsetAt(timeZone, first);
  return new Date(second).toISOString();
}

/** The wall-clock time of `iso` in `timeZone`, as a datetime-local input value. */
export function isoToZoned(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const p = partsIn(timeZone, new Date(iso).getTime());
  const minutes = `${pad(p.year!, 4)}-${pad(p.month!)}-${pad(p.day!)}T${pad(p.hour! % 24)}:${pad(p.minute!)}`;
  return p.second ? `${minutes}:${pad(p.second)}` : minutes;
}

/** Whether the browser knows `timeZone`. */
export function isZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The start of a local calendar date ("2026-12-01") in the browser's zone, plus `days`. */
export function localDayStart(date: string, days = 0): string | null {
  const m = /^(\d{4,})-(\d\d)-(\d\d)$/.exec(date);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

/** Today's date in the browser's zone ("2026-12-01"). */
export function today(): string {
  const now = new Date();
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
