import type { Resolution } from '../api/types';

export type RangePreset = '1h' | '6h' | '24h' | '7d' | '30d';

const HOUR = 3600_000;

export const RANGE_PRESETS: Record<RangePreset, number> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

export const DEFAULT_PRESET: RangePreset = '6h';

/** A preset ends now and moves with time; a custom range is fixed (an alert's moment). */
export type TimeRange =
  { kind: 'preset'; preset: RangePreset } | { kind: 'custom'; from: number; to: number };

/**
 * The range a branch page URL asks for: `from` and `to` (ISO 8601, as alert tickets link),
 * else `range=<preset>`, else the default.
 */
export function rangeFromQuery(query: URLSearchParams): TimeRange {
  const from = Date.parse(query.get('from') ?? '');
  const to = Date.parse(query.get('to') ?? '');
  if (!Number.isNaN(from) && !Number.isNaN(to) && to > from) return { kind: 'custom', from, to };
  const preset = query.get('range');
  if (preset !== null && preset in RANGE_PRESETS) {
    return { kind: 'preset', preset: preset as RangePreset };
  }
  return { kind: 'preset', preset: DEFAULT_PRESET };
}

/** The query parameters that say `range`, for the URL. */
export function rangeToQuery(range: TimeRange): Record<string, string | null> {
  return range.kind === 'custom'
    ? {
        range: null,
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      }
    : { range: range.preset === DEFAULT_PRESET ? null : range.preset, from: null, to: null };
}

/** The concrete interval at `now`. */
export function rangeBounds(range: TimeRange, now: number): { from: number; to: number } {
  return range.kind === 'custom'
    ? { from: range.from, to: range.to }
    : { from: now - RANGE_PRESETS[range.preset], to: now };
}

/**
 * How often a range is asked again: short live ranges often (new rounds arrive every minute),
 * long ones rarely (their points are hourly rollups), fixed ones never.
 */
export function refreshIntervalFor(range: TimeRange): number | null {
  if (range.kind === 'custom') return null;
  return RANGE_PRESETS[range.preset] <= 6 * HOUR ? 30_000 : 300_000;
}

/** The hub's choice for a span (hub/src/timeseries/series.service.ts resolutionFor), for labels. */
export function expectedResolution(spanMs: number): Resolution {
  if (spanMs <= 6 * HOUR) return 'raw';
  if (spanMs <= 72 * HOUR) return '1m';
  if (spanMs <= 60 * 24 * HOUR) return '1h';
  return '1d';
}
