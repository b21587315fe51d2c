/** One bar: a day and how many tasks were completed on it. */
export interface DayCount {
  date: string;
  count: number;
}

const WIDTH = 560;
const HEIGHT = 200;
const LEFT = 36;
const BOTTOM = 22;
const TOP = 8;
const RIGHT = 4;

/** "Mon, Dec 1" for a YYYY-MM-DD date (a calendar day, so read in UTC). */
export const dayName = (date: string, options: Intl.DateTimeFormatOptions = {}) =>
  new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
    ...options,
  }).format(new Date(`${date}T00:00:00Z`));

/** Whole-number axis ticks from 0 up to at least `max`, about four of them. */
function ticks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 4));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const values: number[] = [];
  for (let value = 0; value <= top; value += step) values.push(value);
  return values;
}

/**
 * Tasks completed per day as an SVG bar chart that scales to its container. It is an image named
 * by `labelledBy` and described by a one-line summary; the numbers themselves are in the table
 * the overview shows beside it.
 */
export function CompletionChart({
  days,
  labelledBy,
  describedBy,
}: {
  days: DayCount[];
  labelledBy: string;
  describedBy: string;
}) {
  const axis = ticks(Math.max(0, ...days.map((d) => d.count)));
  const top = axis.at(-1)!;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  // A label every week, counted back from today (the last bar).
  const labelled = (index: number) => (days.length - 1 - index) % 7 === 0;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      preserveAspectRatio="xMidYMid meet"
    >
      {axis.map((value) => (
        <g key={value} class="grid">
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(value)} y2={y(value)} />
          <text x={LEFT - 6} y={y(value)} dy="0.35em" text-anchor="end">
            {value}
          </text>
        </g>
      ))}
      {days.map((day, index) => {
        const x = LEFT + index * slot + (slot - barWidth) / 2;
        return (
          <g key={day.date}>
            {day.count > 0 && (
              <rect
                class="bar"
                x={x}
                y={y(day.count)}
                width={barWidth}
                height={y(0) - y(day.count)}
              >
                <title>{`${dayName(day.date)}: ${day.count} completed`}</title>
              </rect>
            )}
            {labelled(index) && (
              <text
                class="day"
                x={index === days.length - 1 ? x + barWidth : x + barWidth / 2}
                y={HEIGHT - 6}
                text-anchor={index === days.length - 1 ? 'end' : 'middle'}
              >
                {dayName(day.date, { weekday: undefined })}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
