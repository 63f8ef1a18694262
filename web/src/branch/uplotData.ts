import { typicalStep } from './chartScale';
import type { LatencyChartData } from './latencySeries';

/**
 * The latency chart's columns in uPlot's order (uPlot.AlignedData: x first, in seconds), with
 * an empty row inserted in every silence longer than three usual steps: uPlot joins consecutive
 * points, and a line across hours the agent did not report would claim a measurement.
 */
export interface UplotLatency {
  /** [t (s), lower₀, upper₀, lower₁, upper₁, …, median]. */
  columns: (number | null)[][];
  /** Series indexes of each band's [upper, lower] pair, outermost band first (uPlot `bands`). */
  bandSeries: [number, number][];
  medianSeries: number;
  /** The loss colour index per row, null in inserted rows and where nothing was measured. */
  lossBucket: (number | null)[];
}

export function toUplotLatency(data: LatencyChartData): UplotLatency {
  const maxGap = typicalStep(data.t) * 3;
  const rows: number[] = [];
  const gapBefore: boolean[] = [];
  data.t.forEach((t, i) => {
    rows.push(i);
    gapBefore.push(i > 0 && t - data.t[i - 1]! > maxGap);
  });

  const t: number[] = [];
  const pick = (column: (number | null)[]) => {
    const out: (number | null)[] = [];
    rows.forEach((i, k) => {
      if (gapBefore[k]) out.push(null);
      out.push(column[i] ?? null);
    });
    return out;
  };
  rows.forEach((i, k) => {
    if (gapBefore[k]) t.push((data.t[i - 1]! + data.t[i]!) / 2 / 1000);
    t.push(data.t[i]! / 1000);
  });

  const columns: (number | null)[][] = [t];
  const bandSeries: [number, number][] = [];
  for (const band of data.bands) {
    columns.push(pick(band.lower), pick(band.upper));
    bandSeries.push([columns.length - 1, columns.length - 2]);
  }
  columns.push(pick(data.median));
  return {
    columns,
    bandSeries,
    medianSeries: columns.length - 1,
    lossBucket: pick(data.lossBucket),
  };
}

/** Median segments to draw, each coloured by the loss of the round it leads to (SmokePing). */
export function medianSegments(
  median: (number | null)[],
  lossBucket: (number | null)[],
): { from: number; to: number; bucket: number }[] {
  const segments: { from: number; to: number; bucket: number }[] = [];
  median.forEach((value, i) => {
    if (value === null) return;
    const prev = i > 0 && median[i - 1] !== null ? i - 1 : i;
    segments.push({ from: prev, to: i, bucket: lossBucket[i] ?? 0 });
  });
  return segments;
}
