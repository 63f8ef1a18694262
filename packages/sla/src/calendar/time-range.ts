/** Part of a local day, in minutes after midnight: [start, end), end up to 1440 (24:00). */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Parses `HH:mm-HH:mm` (end may be `24:00`). */
export function parseTimeRange(text: string): TimeRange {
  const m = RANGE.exec(text);
  if (!m) throw new RangeError(`expected hours as HH:mm-HH:mm, got "${text}"`);
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (h1 > 23 || m1 > 59 || m2 > 59 || end > 1440) {
    throw new RangeError(`no such time of day in "${text}"`);
  }
  if (start >= end) throw new RangeError(`hours "${text}" end before they start`);
  return { start, end };
}

/** Parses and sorts a day's ranges; overlapping ranges are a mistake in the config, not merged. */
export function parseDayRanges(texts: readonly string[], what: string): readonly TimeRange[] {
  const ranges = texts.map(parseTimeRange).sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.start < ranges[i - 1]!.end) throw new RangeError(`${what}: hours overlap`);
  }
  return ranges;
}

/** `ranges` with every part covered by `cut` removed. Both lists sorted and non-overlapping. */
export function subtractRanges(
  ranges: readonly TimeRange[],
  cut: readonly TimeRange[],
): readonly TimeRange[] {
  let rest = ranges;
  for (const c of cut) {
    rest = rest.flatMap((r) => {
      if (c.end <= r.start || c.start >= r.end) return [r];
      const parts: TimeRange[] = [];
      if (c.start > r.start) parts.push({ start: r.start, end: c.start });
      if (c.end < r.end) parts.push({ start: c.end, end: r.end });
      return parts;
    });
  }
  return rest;
}

export const WHOLE_DAY: readonly TimeRange[] = [{ start: 0, end: 1440 }];
