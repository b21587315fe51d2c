/**
 * The recurrence editor's presets and the RRULEs they stand for (dashboard/src/recurrence): each
 * preset writes the API's canonical rule, and a stored rule parses back into the preset that
 * wrote it, or into `custom` when no preset writes it.
 */
import {
  defaultState,
  dueParts,
  intervalUnit,
  nthText,
  presetLabel,
  presetOf,
  ruleOf,
  type DueParts,
  type PresetState,
} from '../../dashboard/src/recurrence/rrule-presets.ts';

// Tuesday, January 13, 2026, 09:00 in Berlin: the second Tuesday of the month.
const DUE = dueParts(new Date('2026-01-13T08:00:00Z'), 'Europe/Berlin');
const state = (more: Partial<PresetState>): PresetState => ({ ...defaultState(DUE), ...more });

describe('dueParts', () => {
  it('reads the weekday, day, month and nth weekday in the task’s time zone', () => {
    expect(DUE).toEqual({ weekday: 'TU', monthDay: 13, month: 1, nth: 2 });
    // 23:30 UTC on Saturday, May 30 is already Sunday, May 31 in Tokyo: its fifth Sunday, the last.
    expect(dueParts(new Date('2026-05-30T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      weekday: 'SU',
      monthDay: 31,
      month: 5,
      nth: -1,
    });
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(dueParts(new Date('2026-01-13T08:00:00Z'), 'Mars/Olympus')).toEqual(DUE);
  });
});

describe('ruleOf', () => {
  it.each<[string, Partial<PresetState>, string | null]>([
    ['does not repeat', { preset: 'none' }, null],
    ['daily', { preset: 'daily' }, 'FREQ=DAILY'],
    ['every 3 days', { preset: 'daily', interval: 3 }, 'FREQ=DAILY;INTERVAL=3'],
    ['every weekday', { preset: 'weekdays', interval: 4 }, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    [
      'every 2 weeks on chosen days, Monday first',
      { preset: 'weekly', interval: 2, days: ['FR', 'MO', 'WE'] },
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR',
    ],
    ['weekly with no day chosen (the due date’s)', { preset: 'weekly', days: [] }, 'FREQ=WEEKLY'],
    ['monthly on the due date’s day', { preset: 'monthly-date' }, 'FREQ=MONTHLY;BYMONTHDAY=13'],
    ['monthly on the second Tuesday', { preset: 'monthly-weekday' }, 'FREQ=MONTHLY;BYDAY=2TU'],
    [
      'every 3 months on the last Friday',
      { preset: 'monthly-weekday', interval: 3, nth: { n: -1, day: 'FR' } },
      'FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR',
    ],
    ['yearly', { preset: 'yearly' }, 'FREQ=YEARLY'],
    ['custom', { preset: 'custom', custom: '  FREQ=DAILY;COUNT=5 ' }, 'FREQ=DAILY;COUNT=5'],
    ['an empty custom rule', { preset: 'custom', custom: ' ' }, null],
  ])('%s', (_name, more, rule) => {
    expect(ruleOf(state(more))).toBe(rule);
  });
});

describe('presetOf', () => {
  it('parses every rule a preset writes back into that preset', () => {
    const states: Partial<PresetState>[] = [
      { preset: 'daily', interval: 2 },
      { preset: 'weekdays' },
      { preset: 'weekly', days: ['TU', 'SA'] },
      { preset: 'weekly', interval: 3, days: ['MO'] },
      { preset: 'monthly-date', monthDay: 31 },
      { preset: 'monthly-weekday', interval: 2, nth: { n: 4, day: 'TH' } },
      { preset: 'yearly', interval: 5 },
    ];
    for (const more of states) {
      const written = ruleOf(state(more))!;
      const parsed = presetOf(written, DUE);
      expect(parsed).toMatchObject(more);
      expect(ruleOf(parsed)).toBe(written);
    }
  });

  it('reads a rule without a preset’s canonical form when it means the same', () => {
    expect(presetOf('rrule:freq=weekly;byday=we,mo', DUE)).toMatchObject({
      preset: 'weekly',
      days: ['MO', 'WE'],
    });
    expect(presetOf('FREQ=DAILY;INTERVAL=1', DUE).preset).toBe('daily');
    expect(presetOf('FREQ=MONTHLY;BYDAY=+2TU', DUE)).toMatchObject({
      preset: 'monthly-weekday',
      nth: { n: 2, day: 'TU' },
    });
    // What FREQ=WEEKLY and FREQ=MONTHLY leave to the due date, the preset shows.
    expect(presetOf('FREQ=WEEKLY', DUE)).toMatchObject({ preset: 'weekly', days: ['TU'] });
    expect(presetOf('FREQ=MONTHLY', DUE)).toMatchObject({ preset: 'monthly-date', monthDay: 13 });
    // Every two weeks on weekdays is the weekly preset with its days, not "every weekday".
    expect(presetOf('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR', DUE)).toMatchObject({
      preset: 'weekly',
      interval: 2,
      days: ['MO', 'TU', 'WE', 'TH', 'FR'],
    });
  });

  it.each([
    'FREQ=DAILY;COUNT=5',
    'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231',
    'FREQ=YEARLY;BYMONTH=3',
    'FREQ=MONTHLY;BYMONTHDAY=1,15',
    'FREQ=MONTHLY;BYDAY=5FR',
    'FREQ=MONTHLY;BYDAY=MO',
    'FREQ=WEEKLY;BYDAY=MO,MO',
    'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
    'FREQ=HOURLY',
    'FREQ=DAILY;INTERVAL=0',
    'FREQ=DAILY;;',
    'not a rule',
  ])('leaves %s to the custom rule', (rule) => {
    expect(presetOf(rule, DUE)).toMatchObject({ preset: 'custom', custom: rule });
  });

  it('reads no rule as does not repeat, with the due date’s days ready', () => {
    for (const rule of [null, '', '  ']) {
      expect(presetOf(rule, DUE)).toEqual({
        preset: 'none',
        interval: 1,
        days: ['TU'],
        monthDay: 13,
        nth: { n: 2, day: 'TU' },
        custom: '',
      });
    }
  });
});

describe('labels', () => {
  const due: DueParts = { weekday: 'FR', monthDay: 29, month: 5, nth: -1 };
  it('names the presets with the days they derive from the due date', () => {
    const from = presetOf(null, due);
    expect(presetLabel('monthly-date', from, due)).toBe('Monthly on day 29');
    expect(presetLabel('monthly-weekday', from, due)).toBe('Monthly on the last Friday');
    expect(presetLabel('yearly', from, due)).toBe('Yearly on May 29');
    expect(nthText({ n: 2, day: 'TU' })).toBe('the second Tuesday');
  });

  it('says the unit of the interval, singular for one', () => {
    expect(intervalUnit('weekly', 2)).toBe('weeks');
    expect(intervalUnit('monthly-weekday', 1)).toBe('month');
    expect(intervalUnit('weekdays')).toBeNull();
    expect(intervalUnit('custom')).toBeNull();
  });
});
