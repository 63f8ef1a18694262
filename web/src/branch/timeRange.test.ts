import { describe, expect, it } from 'vitest';
import { rangeBounds, rangeFromQuery, rangeToQuery, refreshIntervalFor } from './timeRange';

const q = (s: string) => new URLSearchParams(s);

describe('time range in the URL', () => {
  it('reads an alert’s fixed moment from from/to', () => {
    const range = rangeFromQuery(q('check=c1&from=2026-11-21T09:00:00Z&to=2026-11-21T11:00:00Z'));
    expect(range).toEqual({
      kind: 'custom',
      from: Date.parse('2026-11-21T09:00:00Z'),
      to: Date.parse('2026-11-21T11:00:00Z'),
    });
    expect(rangeToQuery(range)).toEqual({
      range: null,
      from: '2026-11-21T09:00:00.000Z',
      to: '2026-11-21T11:00:00.000Z',
    });
    expect(refreshIntervalFor(range)).toBeNull();
  });

  it('reads a preset, and falls back to 6 h for anything else', () => {
    expect(rangeFromQuery(q('range=30d'))).toEqual({ kind: 'preset', preset: '30d' });
    expect(rangeFromQuery(q('range=2y'))).toEqual({ kind: 'preset', preset: '6h' });
    expect(rangeFromQuery(q('from=2026-11-21T11:00:00Z&to=2026-11-21T09:00:00Z'))).toEqual({
      kind: 'preset',
      preset: '6h',
    });
    expect(rangeToQuery({ kind: 'preset', preset: '6h' })).toEqual({
      range: null,
      from: null,
      to: null,
    });
    expect(rangeToQuery({ kind: 'preset', preset: '7d' })).toMatchObject({ range: '7d' });
  });

  it('ends a preset now', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(rangeBounds({ kind: 'preset', preset: '24h' }, now)).toEqual({
      from: Date.parse('2026-11-20T12:00:00Z'),
      to: now,
    });
    expect(refreshIntervalFor({ kind: 'preset', preset: '1h' })).toBe(30_000);
    expect(refreshIntervalFor({ kind: 'preset', preset: '30d' })).toBe(300_000);
  });
});
