import { describe, expect, it } from 'vitest';
import type { LatencyChartData } from './latencySeries';
import { medianSegments, toUplotLatency } from './uplotData';

const MIN = 60_000;

function chartData(t: number[], median: (number | null)[], lossBucket: (number | null)[]) {
  return {
    resolution: 'raw',
    t,
    median,
    bands: [
      {
        kind: 'minmax',
        lower: median.map((m) => (m === null ? null : m - 2)),
        upper: median.map((m) => (m === null ? null : m + 5)),
      },
      {
        kind: 'minp95',
        lower: median.map((m) => (m === null ? null : m - 1)),
        upper: median.map((m) => (m === null ? null : m + 3)),
      },
    ],
    loss: lossBucket.map((b) => (b === null ? null : b * 5)),
    lossBucket,
    jitter: median.map(() => null),
    mos: median.map(() => null),
    rounds: t.length,
    yMax: 40,
  } satisfies LatencyChartData;
}

describe('toUplotLatency', () => {
  it("puts x in seconds first, each band's lower and upper, the median last", () => {
    const out = toUplotLatency(chartData([0, MIN, 2 * MIN], [10, 12, 11], [0, 2, 0]));
    expect(out.columns).toEqual([
      [0, 60, 120],
      [8, 10, 9],
      [15, 17, 16],
      [9, 11, 10],
      [13, 15, 14],
      [10, 12, 11],
    ]);
    // uPlot fills between [upper, lower]: outer band 2↔1, inner 4↔3.
    expect(out.bandSeries).toEqual([
      [2, 1],
      [4, 3],
    ]);
    expect(out.medianSeries).toBe(5);
    expect(out.lossBucket).toEqual([0, 2, 0]);
  });

  it('breaks the line with an empty row where the agent was silent for over three steps', () => {
    const t = [0, MIN, 2 * MIN, 10 * MIN, 11 * MIN];
    const out = toUplotLatency(chartData(t, [10, 11, 12, 20, 21], [0, 0, 0, 1, 0]));
    expect(out.columns[0]).toEqual([0, 60, 120, 360, 600, 660]);
    expect(out.columns[out.medianSeries]).toEqual([10, 11, 12, null, 20, 21]);
    expect(out.columns[1]).toEqual([8, 9, 10, null, 18, 19]);
    expect(out.lossBucket).toEqual([0, 0, 0, null, 1, 0]);
  });

  it('handles no points at all', () => {
    const out = toUplotLatency(chartData([], [], []));
    expect(out.columns).toEqual([[], [], [], [], [], []]);
  });
});

describe('medianSegments', () => {
  it('colours each segment by the loss of the round it leads to; lone rounds get a dash', () => {
    expect(medianSegments([10, 12, null, 14, null, 15, 16], [0, 3, null, 1, null, 0, 6])).toEqual([
      { from: 0, to: 0, bucket: 0 },
      { from: 0, to: 1, bucket: 3 },
      { from: 3, to: 3, bucket: 1 },
      { from: 5, to: 5, bucket: 0 },
      { from: 5, to: 6, bucket: 6 },
    ]);
  });
});
