import { describe, expect, it } from 'vitest';
import type { FieldStats, SeriesPoint } from '../api/types';
import { LOSS_COLORS, lossBucketOf, quantile, seriesForChart } from './latencySeries';

const one = (v: number): FieldStats => ({ n: 1, min: v, max: v, mean: v, median: v });

function rawRound(t: string, samples: (number | null)[] | null, fields: Record<string, number>) {
  const stats = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, one(v)]));
  return { t, rounds: 1, failed: 0, stats, samples } satisfies SeriesPoint;
}

describe('seriesForChart', () => {
  it('draws raw rounds as the median of their samples with percentile bands around it', () => {
    const samples = [10, 12, 11, 30, null, 13, 14, 15, 16, 17, 18];
    const chart = seriesForChart(
      [
        rawRound('2026-11-21T10:00:00Z', samples, { loss: 9.09, jitter: 2.5, median: 14.5 }),
        rawRound('2026-11-21T10:01:00Z', [20, 20, 20], { loss: 0, jitter: 0, median: 20 }),
      ],
      'raw',
    );
    expect(chart.t).toEqual([
      Date.parse('2026-11-21T10:00:00Z'),
      Date.parse('2026-11-21T10:01:00Z'),
    ]);
    // Sorted replies: 10 11 12 13 14 15 16 17 18 30 → median 14.5.
    expect(chart.median).toEqual([14.5, 20]);
    expect(chart.bands.map((b) => b.kind)).toEqual(['minmax', 'p10p90', 'p25p75']);
    expect(chart.bands[0]).toMatchObject({ lower: [10, 20], upper: [30, 20] });
    expect(chart.bands[1]?.lower[0]).toBeCloseTo(10.9);
    expect(chart.bands[1]?.upper[0]).toBeCloseTo(19.2);
    expect(chart.bands[2]).toMatchObject({ lower: [12.25, 20], upper: [16.75, 20] });
    expect(chart.loss).toEqual([9.09, 0]);
    // 9 % of 20 pings is 2 lost: SmokePing's "2/20" blue; no loss is green.
    expect(chart.lossBucket).toEqual([2, 0]);
    expect(chart.jitter).toEqual([2.5, 0]);
    expect(chart.mos).toEqual([null, null]);
    expect(chart.rounds).toBe(2);
    // The 98th percentile of the band tops (30, 20) with a 10 % margin.
    expect(chart.yMax).toBeCloseTo(29.8 * 1.1);
  });

  it('draws a TCP check’s connect time, and a refused connect as a lost round', () => {
    const refused = { t: '2026-11-21T10:01:00Z', rounds: 1, failed: 1, stats: {}, samples: null };
    const chart = seriesForChart(
      [rawRound('2026-11-21T10:00:00Z', null, { connect: 3.2 }), refused],
      'raw',
    );
    expect(chart.median).toEqual([3.2, null]);
    expect(chart.loss).toEqual([null, 100]);
    expect(chart.lossBucket).toEqual([null, LOSS_COLORS.length - 1]);
  });

  it('falls back to min–max and p95 for raw rounds without samples', () => {
    const chart = seriesForChart(
      [rawRound('2026-11-21T10:00:00Z', null, { min: 9, median: 10, p95: 12, max: 15, loss: 0 })],
      'raw',
    );
    expect(chart.median).toEqual([10]);
    expect(chart.bands).toEqual([
      { kind: 'minmax', lower: [9], upper: [15] },
      { kind: 'minp95', lower: [9], upper: [12] },
    ]);
  });

  it('draws rollups as the median of medians, the full range and the spread of medians', () => {
    const bucket: SeriesPoint = {
      t: '2026-11-21T10:00:00Z',
      rounds: 60,
      failed: 3,
      stats: {
        min: { n: 60, min: 8, max: 12, mean: 9, median: 9 },
        median: { n: 60, min: 10, max: 40, mean: 14, median: 12 },
        max: { n: 60, min: 15, max: 90, mean: 20, median: 18 },
        loss: { n: 60, min: 0, max: 100, mean: 5, median: 0 },
        jitter: { n: 60, min: 0, max: 9, mean: 1.5, median: 1 },
      },
    };
    const chart = seriesForChart([bucket], '1h');
    expect(chart.median).toEqual([12]);
    expect(chart.bands).toEqual([
      { kind: 'minmax', lower: [8], upper: [90] },
      { kind: 'medians', lower: [10], upper: [40] },
    ]);
    // The bucket's share of lost pings (mean), not its median round's.
    expect(chart.loss).toEqual([5]);
    expect(chart.lossBucket).toEqual([1]);
    expect(chart.jitter).toEqual([1.5]);
    expect(chart.rounds).toBe(60);
  });

  it('reads the voice probe’s fields and its MOS', () => {
    const chart = seriesForChart(
      [
        rawRound('2026-11-21T10:00:00Z', null, {
          rttMin: 30,
          rttMean: 35,
          rttMax: 50,
          loss: 0,
          mos: 4.2,
        }),
      ],
      'raw',
    );
    expect(chart.median).toEqual([35]);
    expect(chart.bands[0]).toMatchObject({ lower: [30], upper: [50] });
    expect(chart.mos).toEqual([4.2]);
  });

  it('shows a round where nothing answered as total loss without a median', () => {
    const failed: SeriesPoint = {
      t: '2026-11-21T10:00:00Z',
      rounds: 1,
      failed: 1,
      stats: {},
      samples: [null, null, null],
      reason: '100% loss',
    };
    const chart = seriesForChart([failed], 'raw');
    expect(chart.median).toEqual([null]);
    expect(chart.loss).toEqual([100]);
    expect(chart.lossBucket).toEqual([LOSS_COLORS.length - 1]);
    expect(chart.yMax).toBeNull();
  });

  it('is empty for no points', () => {
    const chart = seriesForChart([], '1d');
    expect([chart.t, chart.median, chart.rounds, chart.yMax]).toEqual([[], [], 0, null]);
  });
});

describe('loss colours', () => {
  it.each([
    [0, '#26ff00'],
    [0.1, '#00b8ff'],
    [5, '#00b8ff'],
    [10, '#0059ff'],
    [15, '#5e00ff'],
    [20, '#7e00ff'],
    [45, '#7e00ff'],
    [50, '#dd00ff'],
    [95, '#ff0000'],
    [100, '#ff0000'],
  ])('%d %% lost is %s', (loss, color) => {
    expect(LOSS_COLORS[lossBucketOf(loss)]?.color).toBe(color);
  });
});

describe('quantile', () => {
  it('interpolates between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([7], 0.9)).toBe(7);
  });
});
