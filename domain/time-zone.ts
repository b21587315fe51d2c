/**
 * The canonical name of an IANA time zone (`europe/berlin` -> `Europe/Berlin`), or undefined
 * when this runtime does not know it.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (zone.length === 0 || zone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
