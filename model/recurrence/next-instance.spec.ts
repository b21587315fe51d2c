import type { Task } from '../task.ts';
import { planNextInstance } from './next-instance.ts';

const task = (overrides: Partial<Task>): Task => ({
  id: '00000000-0000-4000-8000-000000000001',
  userId: 'u',
  title: 'Water the plants',
  description: null,
  completed: true,
  completedAt: null,
  priority: 'medium',
  dueAt: new Date('2026-03-27T08:00:00Z'),
  timeZone: 'Europe/Berlin',
  categoryId: null,
  recurrenceRule: 'FREQ=DAILY',
  recurrenceAnchor: 'due_date',
  seriesId: '00000000-0000-4000-8000-000000000001',
  seriesIndex: 1,
  seriesStartAt: null,
  previousTaskId: null,
  remindBeforeMinutes: null,
  remindAt: null,
  reminderSentAt: null,
  createdAt: new Date('2026-03-01T00:00:00Z'),
  updatedAt: new Date('2026-03-01T00:00:00Z'),
  version: 1,
  ...overrides,
});

const now = new Date('2026-03-20T00:00:00Z');

describe('planNextInstance', () => {
  it('follows the rule from the due date, keeping 09:00 Berlin across the DST change', () => {
    expect(planNextInstance(task({ dueAt: new Date('2026-03-28T08:00:00Z') }), now, now)).toEqual({
      ended: false,
      dueAt: new Date('2026-03-29T07:00:00Z'),
      remindBeforeMinutes: null,
      remindAt: null,
    });
  });

  it('returns to the series time after an instance was shifted by the spring-forward gap', () => {
    const shifted = task({
      seriesStartAt: new Date('2030-03-30T01:30:00Z'), // 02:30 Berlin, winter time
      dueAt: new Date('2030-03-31T01:30:00Z'), // 03:30 Berlin: 02:30 did not exist that day
    });
    expect(planNextInstance(shifted, now, now)).toMatchObject({
      dueAt: new Date('2030-04-01T00:30:00Z'),
    });
  });

  it('does not drift when the task is completed late', () => {
    const late = new Date('2026-04-02T15:00:00Z');
    const plan = planNextInstance(task({ recurrenceRule: 'FREQ=WEEKLY' }), late, late);
    expect(plan).toMatchObject({ dueAt: new Date('2026-04-03T07:00:00Z') });
  });

  it('plans an instance already in the past rather than skipping it', () => {
    const much = new Date('2026-05-01T00:00:00Z');
    expect(planNextInstance(task({}), much, much)).toMatchObject({
      ended: false,
      dueAt: new Date('2026-03-28T08:00:00Z'),
    });
  });

  it('follows the rule from the completion with anchor COMPLETION, or without a due date', () => {
    const completedAt = new Date('2026-03-27T17:30:00Z');
    expect(
      planNextInstance(task({ recurrenceAnchor: 'completion' }), completedAt, now),
    ).toMatchObject({
      dueAt: new Date('2026-03-28T17:30:00Z'),
    });
    expect(
      planNextInstance(
        task({ dueAt: null, recurrenceRule: 'FREQ=WEEKLY;INTERVAL=2' }),
        completedAt,
        now,
      ),
    ).toMatchObject({
      dueAt: new Date('2026-04-10T16:30:00Z'),
    });
  });

  it('ends the series after COUNT instances, whatever the dates', () => {
    expect(
      planNextInstance(task({ recurrenceRule: 'FREQ=DAILY;COUNT=3', seriesIndex: 2 }), now, now),
    ).toMatchObject({
      ended: false,
    });
    expect(
      planNextInstance(task({ recurrenceRule: 'FREQ=DAILY;COUNT=3', seriesIndex: 3 }), now, now),
    ).toEqual({
      ended: true,
    });
  });

  it('ends the series after UNTIL', () => {
    expect(
      planNextInstance(task({ recurrenceRule: 'FREQ=DAILY;UNTIL=20260327' }), now, now),
    ).toEqual({
      ended: true,
    });
  });

  it('moves the reminder with the due date, relative or absolute', () => {
    const relative = planNextInstance(task({ remindBeforeMinutes: 30 }), now, now);
    expect(relative).toMatchObject({
      remindBeforeMinutes: 30,
      remindAt: new Date('2026-03-28T07:30:00Z'),
    });
    const absolute = planNextInstance(
      task({ remindAt: new Date('2026-03-26T20:00:00Z') }),
      now,
      now,
    );
    expect(absolute).toMatchObject({
      remindBeforeMinutes: null,
      remindAt: new Date('2026-03-27T20:00:00Z'),
    });
  });
});
