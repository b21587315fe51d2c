import { formatRecurrenceRule, parseRecurrenceRule, RecurrenceRuleError } from './rule.ts';

const canonical = (text: string) => formatRecurrenceRule(parseRecurrenceRule(text));

describe('recurrence rule validation', () => {
  it.each([
    ['FREQ=DAILY', 'FREQ=DAILY'],
    ['RRULE:freq=weekly;byday=mo,we,fr', 'FREQ=WEEKLY;BYDAY=MO,WE,FR'],
    ['FREQ=MONTHLY;BYMONTHDAY=31', 'FREQ=MONTHLY;BYMONTHDAY=31'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=YEARLY;BYMONTHDAY=29;BYMONTH=2'],
    ['FREQ=DAILY;INTERVAL=1;COUNT=10', 'FREQ=DAILY;COUNT=10'],
    [
      'FREQ=WEEKLY;INTERVAL=2;UNTIL=20271224T000000Z',
      'FREQ=WEEKLY;INTERVAL=2;UNTIL=20271224T000000Z',
    ],
    ['FREQ=DAILY;UNTIL=20271224', 'FREQ=DAILY;UNTIL=20271224'],
    ['FREQ=DAILY;UNTIL=20271224T090000', 'FREQ=DAILY;UNTIL=20271224T090000'],
  ])('accepts %s as %s', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    ['FREQ=SECONDLY', /FREQ=SECONDLY is not supported/],
    ['FREQ=HOURLY', /use DAILY, WEEKLY, MONTHLY or YEARLY/],
    ['FREQ=DAILY;BYHOUR=9', /BYHOUR is not supported/],
    ['FREQ=DAILY;BYSETPOS=1', /BYSETPOS is not supported/],
    ['INTERVAL=2', /FREQ is required/],
    ['not a rule', /is not NAME=VALUE/],
    ['', /must be 1-500 characters/],
    ['FREQ=DAILY;COUNT=0', /COUNT must be a whole number from 1/],
    ['FREQ=DAILY;INTERVAL=-1', /INTERVAL must be a whole number/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101', /cannot both be given/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY takes 1 to 31/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /BYMONTHDAY takes/],
    ['FREQ=YEARLY;BYMONTH=13', /BYMONTH takes 1 to 12/],
    ['FREQ=WEEKLY;BYDAY=XX', /BYDAY takes weekdays/],
    ['FREQ=WEEKLY;BYDAY=-1FR', /needs FREQ=MONTHLY or YEARLY/],
    ['FREQ=DAILY;UNTIL=20270230', /not a real date-time/],
    ['FREQ=DAILY;UNTIL=tomorrow', /UNTIL must be a date/],
    ['FREQ=DAILY;FREQ=WEEKLY', /FREQ appears twice/],
    [`FREQ=DAILY;${'X'.repeat(500)}`, /must be 1-500 characters/],
  ])('refuses %s', (text, message) => {
    expect(() => parseRecurrenceRule(text)).toThrow(RecurrenceRuleError);
    expect(() => parseRecurrenceRule(text)).toThrow(message);
  });
});
