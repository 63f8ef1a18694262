// The latency chart's time axis: how much of the range to show, where the ticks go and how
// they read, so labels never run into each other.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick distances a person reads easily, shortest first. */
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * The part of [from, to] the chart shows. When the data starts well after `from` (a new check:
 * 4 minutes of rounds in a 6-hour range), the axis starts a little before the first point
 * instead of squeezing the data into the last few per cent; `fitted` says so, for a note.
 */
export function fittedRange(
  times: readonly number[],
  from: number,
  to: number,
): { from: number; to: number; fitted: boolean } {
  const first = times[0];
  if (first === undefined || first - from < 0.25 * (to - from)) return { from, to, fitted: false };
  // A little room before the first round, one round's step (less than the silence the chart
  // marks, 3 steps) or a twentieth of the data's span. Never a fixed minute: a new check's
  // rounds a second apart sat in the last few per cent of a minute and more.
  const steps = times.slice(1).map((t, i) => t - times[i]!);
  const span = Math.max(SECOND, to - first);
  const pad =
    steps.length > 0
      ? Math.max(steps.sort((a, b) => a - b)[steps.length >> 1]!, 0.05 * span)
      : span; // One round: it sits in the middle.
  return { from: Math.max(from, first - pad), to, fitted: true };
}

/** How ticks read for a span: with seconds, hours and minutes, with the weekday, or the date. */
export function tickFormat(spanMs: number, locale: string): Intl.DateTimeFormat {
  // Rounds seconds apart (a new check): ticks a few seconds apart read the seconds.
  if (spanMs <= 5 * MINUTE) {
    return new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }
  if (spanMs <= DAY) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  if (spanMs <= 7 * DAY) {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  }
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
}

/**
 * Tick times in [min, max] (ms) a whole step apart, on the local clock's round values (the
 * hour, midnight), with at most as many ticks as labels `labelWidth` px wide fit in `width` px
 * with a gap between them.
 */
export function timeTicks(min: number, max: number, width: number, labelWidth: number): number[] {
  if (!(max > min)) return [min];
  const fit = Math.max(2, Math.floor(width / (labelWidth + 16)));
  const step =
    STEPS.find((s) => (max - min) / s <= fit) ?? Math.ceil((max - min) / fit / DAY) * DAY;
  const offset = (t: number) => -new Date(t).getTimezoneOffset() * MINUTE;
  const ticks: number[] = [];
  let t = Math.ceil((min + offset(min)) / step) * step - offset(min);
  for (; t <= max && ticks.length < 100; t += step) {
    // Across a daylight-saving change the local clock moves: keep ticks on its round values.
    ticks.push(t + offset(min) - offset(t));
  }
  return ticks;
}
