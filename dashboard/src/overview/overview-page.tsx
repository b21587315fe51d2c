import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { failure } from '../failure.ts';
import { hrefOf } from '../route.ts';
import { useSession } from '../session.ts';
import { CompletionChart, dayName, type DayCount } from './completion-chart.tsx';
import './overview.css';

const DAYS = 28;
const STATS = `query($days: Int, $timeZone: String) {
  taskStats(days: $days, timeZone: $timeZone) {
    completedPerDay { date count } overdueCount pendingCount completedCount } }`;

interface TaskStats {
  completedPerDay: DayCount[];
  overdueCount: number;
  pendingCount: number;
  completedCount: number;
}

/** The browser's IANA zone, where the chart's days begin. */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * The overview: tasks completed per day over the last four weeks (an SVG bar chart with the
 * numbers in a table), and the overdue and pending counts, kept current by the live task events.
 */
export function OverviewPage() {
  const { api, live } = useSession();
  const [stats, setStats] = useState<TaskStats | undefined>(undefined);
  const [error, setError] = useState('');
  const [showTable, setShowTable] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(async () => {
    try {
      const data = await api<{ taskStats: TaskStats }>(STATS, {
        days: DAYS,
        timeZone: browserZone(),
      });
      setStats(data.taskStats);
      setError('');
    } catch (problem) {
      setError(`Could not load the overview: ${failure(problem)}`);
    }
  }, [api]);
  useEffect(() => {
    void load();
    const stop = live.onTaskEvent(() => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void load(), 300);
    });
    return () => {
      stop();
      clearTimeout(timer.current);
    };
  }, [load, live]);

  const total = stats?.completedPerDay.reduce((sum, day) => sum + day.count, 0) ?? 0;
  const best = stats?.completedPerDay.reduce<DayCount | undefined>(
    (top, day) => (day.count > (top?.count ?? 0) ? day : top),
    undefined,
  );
  return (
    <section aria-labelledby="overview-heading" class="overview">
      <h2 id="overview-heading">Overview</h2>
      <p class="error" role="alert">
        {error}
      </p>
      {!stats ? (
        !error && <p role="status">Loading the overview…</p>
      ) : (
        <>
          <ul class="plain figures" aria-label="Your tasks">
            <li class={stats.overdueCount > 0 ? 'figure late' : 'figure'}>
              <a href={hrefOf('tasks', { view: 'overdue' })} data-testid="overdue-count">
                <span class="number">{stats.overdueCount}</span> overdue
              </a>
            </li>
            <li class="figure">
              <span class="number">{stats.pendingCount}</span> pending
            </li>
            <li class="figure">
              <span class="number">{total}</span> completed in the last 4 weeks
            </li>
          </ul>
          <figure class="chart-figure">
            <figcaption id="chart-title">Tasks completed per day, last 4 weeks</figcaption>
            <p id="chart-summary" class="muted">
              {total === 0
                ? 'No tasks were completed in the last 4 weeks.'
                : `${total} completed in ${DAYS} days, ${(total / DAYS).toFixed(1)} a day on average; most on ${dayName(best!.date)} (${best!.count}).`}
            </p>
            <CompletionChart
              days={stats.completedPerDay}
              labelledBy="chart-title"
              describedBy="chart-summary"
            />
          </figure>
          <button
            type="button"
            class="quiet"
            aria-expanded={showTable}
            aria-controls="chart-table"
            onClick={() => setShowTable(!showTable)}
          >
            {showTable ? 'Hide the numbers' : 'Show the numbers'}
          </button>
          <div id="chart-table" class="table-scroll" hidden={!showTable}>
            <table class="numbers">
              <caption>Tasks completed per day</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {[...stats.completedPerDay].reverse().map((day) => (
                  <tr key={day.date}>
                    <th scope="row">
                      <time dateTime={day.date}>{dayName(day.date)}</time>
                    </th>
                    <td>{day.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
