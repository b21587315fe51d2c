import { z } from 'zod';
import { fields, parseInput } from '../model/validation.ts';
import { nowOf, type Scope } from './scope.ts';

/** How many tasks were completed on one calendar day. */
export interface DayCount {
  /** YYYY-MM-DD, in the zone asked for. */
  date: string;
  count: number;
}

/** The figures the dashboard's overview draws. */
export interface TaskStats {
  /** The last `days` calendar days up to today, oldest first; days without completions count 0. */
  completedPerDay: DayCount[];
  overdueCount: number;
  pendingCount: number;
  completedCount: number;
}

export const STATS_DAYS_DEFAULT = 28;
export const STATS_DAYS_MAX = 366;

const input = z.object({
  days: z
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(STATS_DAYS_MAX, `must be at most ${STATS_DAYS_MAX}`),
  timeZone: fields.timeZone,
});

/**
 * The user's completions per calendar day in `timeZone` over the last `days` days (today
 * included), and the counts of overdue, pending and completed tasks. A day runs from midnight to
 * midnight in the zone, so it lasts 23 or 25 hours across a daylight saving change.
 */
export async function taskStats(
  scope: Scope,
  args: { days?: number | null; timeZone?: string | null },
): Promise<TaskStats> {
  const { days, timeZone } = parseInput(input, {
    days: args.days ?? STATS_DAYS_DEFAULT,
    timeZone: args.timeZone ?? 'UTC',
  });
  const now = nowOf(scope);
  const [perDay, totals] = await Promise.all([
    scope.db.raw<{ rows: { date: string; count: number }[] }>(
      `WITH span AS (
              SELECT local::date AS day,
                     local AT TIME ZONE ?::text AS starts,
                     (local + interval '1 day') AT TIME ZONE ?::text AS ends
                FROM (SELECT (?::timestamptz AT TIME ZONE ?::text)::date AS today) AS now,
                     generate_series(now.today - (?::int - 1), now.today::timestamp, interval '1 day')
                       AS local
            )
       SELECT to_char(span.day, 'YYYY-MM-DD') AS date, count(tasks.id)::int AS count
         FROM span
         LEFT JOIN tasks
           ON tasks.user_id = ?::text
          AND tasks.completed_at >= span.starts
          AND tasks.completed_at < span.ends
        GROUP BY span.day
        ORDER BY span.day`,
      [timeZone, timeZone, now, timeZone, days, scope.userId],
    ),
    scope.db.raw<{ rows: { overdue: number; pending: number; completed: number }[] }>(
      `SELECT count(*) FILTER (WHERE NOT completed AND due_at < ?::timestamptz)::int AS overdue,
              count(*) FILTER (WHERE NOT completed)::int AS pending,
              count(*) FILTER (WHERE completed)::int AS completed
         FROM tasks
        WHERE user_id = ?`,
      [now, scope.userId],
    ),
  ]);
  const counts = totals.rows[0]!;
  return {
    completedPerDay: perDay.rows,
    overdueCount: counts.overdue,
    pendingCount: counts.pending,
    completedCount: counts.completed,
  };
}
