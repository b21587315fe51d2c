import { LIMITS } from '../limits.ts';
import { NamedError } from '../errors.ts';
import { utcDate } from './floating-time.ts';
import { WEEKDAYS, type Weekday } from './weekdays.ts';

/** The recurrence frequencies the product supports. */
export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** A recurrence rule, parsed and checked against the allowed subset of RFC 5545. */
export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  /** Weekdays with an optional ordinal: `{ day: 'FR', n: -1 }` is the last Friday. */
  byDay: { day: Weekday; n: number | undefined }[];
  byMonthDay: number[];
  byMonth: number[];
  count: number | undefined;
  /**
   * The last moment of the series: a UTC instant (`…T…Z`), a local date-time in the task's time
   * zone (`…T…`), or a whole local day (`YYYYMMDD`, inclusive).
   */
  until: Until | undefined;
}

/** The parts of an UNTIL value and which of its three RFC 5545 forms it had. */
export interface Until {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  form: 'date' | 'utc' | 'local';
}

export { WEEKDAYS, type Weekday };

/** Why a rule was refused; the message says what is allowed. */
export class RecurrenceRuleError extends NamedError {}

const ALLOWED =
  'FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL';

function integerList(
  name: string,
  value: string,
  valid: (n: number) => boolean,
  range: string,
): number[] {
  return value.split(',').map((part) => {
    if (!/^[+-]?\d{1,3}$/.test(part) || !valid(Number(part))) {
      throw new RecurrenceRuleError(`${name} takes ${range}; got "${part}".`);
    }
    return Number(part);
  });
}

function positive(name: string, value: string, max: number): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new RecurrenceRuleError(
      `${name} must be a whole number from 1 to ${max}; got "${value}".`,
    );
  }
  return Number(value);
}

function parseUntil(value: string): Until {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) {
    throw new RecurrenceRuleError(
      `UNTIL must be a date (YYYYMMDD) or a UTC date-time (YYYYMMDDTHHMMSSZ); got "${value}".`,
    );
  }
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  if (year! < 1) {
    throw new RecurrenceRuleError(`UNTIL must be in the years 0001-9999; got "${value}".`);
  }
  const check = utcDate(year!, month!, day!, hour, minute, second);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month! - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new RecurrenceRuleError(`UNTIL is not a real date-time: "${value}".`);
  }
  const form = match[4] === undefined ? 'date' : match[7] === 'Z' ? 'utc' : 'local';
  return { year: year!, month: month!, day: day!, hour, minute, second, form };
}

/**
 * Parses an RRULE (with or without the `RRULE:` prefix) and refuses anything outside the
 * allowed subset: DAILY, WEEKLY, MONTHLY or YEARLY with INTERVAL, BYDAY, BYMONTHDAY, BYMONTH,
 * COUNT and UNTIL.
 * @throws RecurrenceRuleError saying what is wrong and what is allowed.
 */
export function parseRecurrenceRule(text: string): RecurrenceRule {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body.length === 0 || body.length > LIMITS.recurrenceRuleLength) {
    throw new RecurrenceRuleError(
      `A recurrence rule must be 1-${LIMITS.recurrenceRuleLength} characters, such as FREQ=WEEKLY;BYDAY=MO,WE.`,
    );
  }
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const [rawName, value, extra] = part.split('=');
    const name = rawName?.trim().toUpperCase() ?? '';
    if (!name || value === undefined || value.trim() === '' || extra !== undefined) {
      throw new RecurrenceRuleError(
        `"${part}" is not NAME=VALUE; a rule looks like FREQ=DAILY;INTERVAL=2.`,
      );
    }
    if (parts.has(name)) throw new RecurrenceRuleError(`${name} appears twice.`);
    parts.set(name, value.trim().toUpperCase());
  }
  for (const name of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL'].includes(name)) {
      throw new RecurrenceRuleError(`${name} is not supported; the allowed parts are ${ALLOWED}.`);
    }
  }
  const freq = parts.get('FREQ');
  if (!freq) throw new RecurrenceRuleError(`FREQ is required; the allowed parts are ${ALLOWED}.`);
  if (!(FREQUENCIES as readonly string[]).includes(freq)) {
    throw new RecurrenceRuleError(
      `FREQ=${freq} is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY.`,
    );
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) {
    throw new RecurrenceRuleError('COUNT and UNTIL cannot both be given (RFC 5545); choose one.');
  }

  const byDay = (parts.get('BYDAY')?.split(',') ?? []).map((part) => {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part);
    const n = match?.[1] === undefined ? undefined : Number(match[1]);
    if (!match || (n !== undefined && (n === 0 || Math.abs(n) > 53))) {
      throw new RecurrenceRuleError(
        `BYDAY takes weekdays such as MO,WE,FR or -1FR; got "${part}".`,
      );
    }
    if (n !== undefined && freq !== 'MONTHLY' && freq !== 'YEARLY') {
      throw new RecurrenceRuleError(
        `BYDAY=${part}: a numbered weekday needs FREQ=MONTHLY or YEARLY.`,
      );
    }
    return { day: match[2] as Weekday, n };
  });

  return {
    freq: freq as Frequency,
    interval: parts.has('INTERVAL') ? positive('INTERVAL', parts.get('INTERVAL')!, 1000) : 1,
    byDay,
    byMonthDay: parts.has('BYMONTHDAY')
      ? integerList(
          'BYMONTHDAY',
          parts.get('BYMONTHDAY')!,
          (n) => n !== 0 && Math.abs(n) <= 31,
          '1 to 31 or -31 to -1',
        )
      : [],
    byMonth: parts.has('BYMONTH')
      ? integerList('BYMONTH', parts.get('BYMONTH')!, (n) => n >= 1 && n <= 12, '1 to 12')
      : [],
    count: parts.has('COUNT') ? positive('COUNT', parts.get('COUNT')!, 1000) : undefined,
    until: parts.has('UNTIL') ? parseUntil(parts.get('UNTIL')!) : undefined,
  };
}

/** The canonical text of a rule: upper case, fixed part order, no `RRULE:` prefix. */
export function formatRecurrenceRule(rule: RecurrenceRule): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay.length)
    parts.push(`BYDAY=${rule.byDay.map(({ day, n }) => `${n ?? ''}${day}`).join(',')}`);
  if (rule.byMonthDay.length) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byMonth.length) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until) {
    const u = rule.until;
    const date = `${pad(u.year, 4)}${pad(u.month)}${pad(u.day)}`;
    const time = `T${pad(u.hour)}${pad(u.minute)}${pad(u.second)}${u.form === 'utc' ? 'Z' : ''}`;
    parts.push(`UNTIL=${date}${u.form === 'date' ? '' : time}`);
  }
  return parts.join(';');
}
