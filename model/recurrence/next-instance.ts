import { relativeReminderTime } from '../reminders.ts';
import type { Task } from '../task.ts';
import { nextOccurrence } from './occurrences.ts';
import { parseRecurrenceRule } from './rule.ts';

/** What comes after a completed instance of a recurring series. */
export type NextInstancePlan =
  | { ended: true }
  | { ended: false; dueAt: Date; remindBeforeMinutes: number | null; remindAt: Date | null };

/**
 * The next instance of a recurring task completed at `completedAt`: its due date follows the
 * rule from the completed instance's due date (anchor DUE_DATE, so a late completion does not
 * drift) or from the completion (anchor COMPLETION, or a task without a due date), in the task's
 * time zone. The reminder keeps its offset from the due date. A next date already in the past
 * is still planned (the instance is created overdue, without a reminder).
 * @throws RecurrenceRuleError when the stored rule is not a valid rule.
 * @throws LimitExceededError (limit `recurrenceSearch`) when the next date is not within the
 * search for it (see search-limit.ts): the rule occurs too rarely, or never.
 */
export function planNextInstance(task: Task, completedAt: Date, now: Date): NextInstancePlan {
  const rule = parseRecurrenceRule(task.recurrenceRule ?? '');
  const fromDueDate = task.recurrenceAnchor === 'due_date' && task.dueAt !== null;
  const anchor = fromDueDate ? task.dueAt! : completedAt;
  const dueAt = nextOccurrence(rule, {
    dtstart: fromDueDate ? (task.seriesStartAt ?? anchor) : anchor,
    after: anchor,
    timeZone: task.timeZone,
    seriesIndex: task.seriesIndex,
  });
  if (!dueAt) return { ended: true };
  if (task.remindBeforeMinutes !== null) {
    return {
      ended: false,
      dueAt,
      remindBeforeMinutes: task.remindBeforeMinutes,
      remindAt: relativeReminderTime(dueAt, task.remindBeforeMinutes, now),
    };
  }
  if (task.remindAt && task.dueAt) {
    const remindAt = new Date(dueAt.getTime() - (task.dueAt.getTime() - task.remindAt.getTime()));
    return {
      ended: false,
      dueAt,
      remindBeforeMinutes: null,
      remindAt: remindAt > now ? remindAt : null,
    };
  }
  return { ended: false, dueAt, remindBeforeMinutes: null, remindAt: null };
}
