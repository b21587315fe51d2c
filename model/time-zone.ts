/**
 * The canonical name of an IANA time zone (`europe/berlin` -> `Europe/Berlin`), or undefined
 * when this runtime does not know it. A bare UTC offset (`+02:00`) is refused: Intl accepts it
 * since Node 22, but it is no IANA zone and does not follow daylight saving time.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (zone.length === 0 || zone.length > 64 || /^[+-]/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
