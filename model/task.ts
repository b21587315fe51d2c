/** Task priorities, lowest first. */
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What the next instance of a recurring task is computed from. */
export const RECURRENCE_ANCHORS = ['due_date', 'completion'] as const;
export type RecurrenceAnchor = (typeof RECURRENCE_ANCHORS)[number];

/** A task as the domain sees it. */
export interface Task {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: Date | null;
  priority: Priority;
  dueAt: Date | null;
  /** IANA zone the due date was given in; recurrence is computed in it. */
  timeZone: string;
  categoryId: string | null;
  recurrenceRule: string | null;
  recurrenceAnchor: RecurrenceAnchor;
  seriesId: string | null;
  seriesIndex: number;
  /**
   * The due date the series was anchored on; occurrences keep its wall-clock time even after one
   * instance was shifted by a DST gap.
   */
  seriesStartAt: Date | null;
  previousTaskId: string | null;
  /** Reminder offset before the due date; null for an absolute reminder or none. */
  remindBeforeMinutes: number | null;
  remindAt: Date | null;
  reminderSentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A category or a tag: a named, coloured label owned by one user. */
export interface Label {
  id: string;
  userId: string;
  name: string;
  color: string;
  createdAt: Date;
  updatedAt: Date;
}
