import type { FieldStats, Resolution, SeriesPoint } from '../api/types';

/**
 * A check's latency as SmokePing draws it: the median line, and around it the spread of every
 * round's RTTs as shaded bands ("smoke"), the line coloured by the round's loss. Columns are
 * aligned arrays (one entry per point), the shape uPlot and the SVG chart both take.
 */
export interface LatencyChartData {
  resolution: Resolution;
  /** Point times, ms since the epoch. */
  t: number[];
  median: (number | null)[];
  /** Outermost first; each band is a [lower, upper] pair per point. */
  bands: SpreadBand[];
  /** Loss per point, percent. */
  loss: (number | null)[];
  /** Index into LOSS_COLORS per point; null where nothing was measured. */
  lossBucket: (number | null)[];
  jitter: (number | null)[];
  mos: (number | null)[];
  /** Rounds behind all points (a rollup point holds many). */
  rounds: number;
  /** A y-axis top that one wild outlier does not set; null without any latency. */
  yMax: number | null;
}

export interface SpreadBand {
  /** What the band spans, for the legend: `minmax`, `p10p90`, `p25p75` or `medians`. */
  kind: 'minmax' | 'p10p90' | 'p25p75' | 'medians' | 'minp95';
  lower: (number | null)[];
  upper: (number | null)[];
}

/**
 * SmokePing's default loss colours (smokeping.cgi, `%lc` for 20 pings): none, 1, 2, 3, 4,
 * half and all-but-one of the pings lost. `from` is the first lost count, in twentieths.
 */
export const LOSS_COLORS: readonly { from: number; color: string }[] = [
  { from: 0, color: '#26ff00' },
  { from: 1, color: '#00b8ff' },
  { from: 2, color: '#0059ff' },
  { from: 3, color: '#5e00ff' },
  { from: 4, color: '#7e00ff' },
  { from: 10, color: '#dd00ff' },
  { from: 19, color: '#ff0000' },
];

const PINGS = 20;

/** The LOSS_COLORS index for a loss in percent. Any loss at all is never green. */
export function lossBucketOf(lossPercent: number): number {
  const lost = lossPercent <= 0 ? 0 : Math.max(1, Math.round((lossPercent / 100) * PINGS));
  let bucket = 0;
  LOSS_COLORS.forEach((entry, index) => {
    if (lost >= entry.from) bucket = index;
  });
  return bucket;
}

/**
 * Which fields hold the RTT statistics: icmp's, the voice probe's, or a TCP check's connect
 * time (one value a round; a refused or timed-out connect is a round lost, drawn as 100 % loss).
 */
function rttFields(points: SeriesPoint[]) {
  const voice = points.some((p) => p.stats.rttMean !== undefined && p.stats.median === undefined);
  if (voice) return { min: 'rttMin', median: 'rttMean', max: 'rttMax', p95: 'rttMax' };
  const tcp = points.some((p) => p.stats.connect !== undefined && p.stats.median === undefined);
  if (tcp) return { min: 'connect', median: 'connect', max: 'connect', p95: 'connect' };
  return { min: 'min', median: 'median', max: 'max', p95: 'p95' };
}

export function seriesForChart(points: SeriesPoint[], resolution: Resolution): LatencyChartData {
  const raw = resolution === 'raw';
  const names = rttFields(points);
  // Raw rounds hold one value per field; rollups a bucket's statistics, summed up by the mean
  // for loss, jitter and MOS (the share of pings lost, not the median round's).
  const pick = (stats: FieldStats | undefined) =>
    stats === undefined ? null : raw ? stats.median : stats.mean;

  const t: number[] = [];
  const median: (number | null)[] = [];
  const loss: (number | null)[] = [];
  const lossBucket: (number | null)[] = [];
  const jitter: (number | null)[] = [];
  const mos: (number | null)[] = [];
  const bandKinds = raw ? rawBandKinds(points) : (['minmax', 'medians'] as const);
  const bands: SpreadBand[] = bandKinds.map((kind) => ({ kind, lower: [], upper: [] }));
  let rounds = 0;

  for (const point of points) {
    t.push(Date.parse(point.t));
    rounds += point.rounds;
    const s = point.stats;
    const sorted = raw ? sortedSamples(point.samples) : [];
    median.push(sorted.length > 0 ? quantile(sorted, 0.5) : (s[names.median]?.median ?? null));
    const lost = pick(s.loss) ?? (point.rounds > 0 && point.failed === point.rounds ? 100 : null);
    loss.push(lost);
    lossBucket.push(lost === null ? null : lossBucketOf(lost));
    jitter.push(pick(s.jitter));
    mos.push(pick(s.mos));

    bands.forEach((band) => {
      const [lower, upper] = bandValues(band.kind, sorted, s, names);
      band.lower.push(lower);
      band.upper.push(upper);
    });
  }
  return {
    resolution,
    t,
    median,
    bands,
    loss,
    lossBucket,
    jitter,
    mos,
    rounds,
    yMax: robustMax(bands[0]?.upper ?? [], median),
  };
}

/** Raw rounds: percentile bands when the rounds carry their samples, else min–max and p95. */
function rawBandKinds(points: SeriesPoint[]): SpreadBand['kind'][] {
  const withSamples = points.some((p) => (p.samples?.filter((v) => v !== null).length ?? 0) > 1);
  return withSamples ? ['minmax', 'p10p90', 'p25p75'] : ['minmax', 'minp95'];
}

function bandValues(
  kind: SpreadBand['kind'],
  sorted: number[],
  s: Record<string, FieldStats>,
  names: ReturnType<typeof rttFields>,
): [number | null, number | null] {
  const hasSamples = sorted.length > 0;
  switch (kind) {
    case 'minmax':
      return hasSamples
        ? [sorted[0]!, sorted[sorted.length - 1]!]
        : [s[names.min]?.min ?? null, s[names.max]?.max ?? null];
    case 'p10p90':
      return hasSamples ? [quantile(sorted, 0.1), quantile(sorted, 0.9)] : [null, null];
    case 'p25p75':
      return hasSamples ? [quantile(sorted, 0.25), quantile(sorted, 0.75)] : [null, null];
    case 'minp95':
      return [s[names.min]?.min ?? null, s[names.p95]?.max ?? null];
    case 'medians':
      // Rollups: how far the round medians themselves wandered within the bucket.
      return [s[names.median]?.min ?? null, s[names.median]?.max ?? null];
  }
}

function sortedSamples(samples: SeriesPoint['samples']): number[] {
  return (samples ?? []).filter((v): v is number => v !== null).sort((a, b) => a - b);
}

/** Linear interpolation between closest ranks (the R-7 / NumPy default). */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const below = Math.floor(pos);
  const above = Math.ceil(pos);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (pos - below);
}

/**
 * The 98th percentile of the band tops, but never below the highest median, plus a margin —
 * SmokePing's autoscale does the same so one 3-second ping does not flatten a month.
 */
function robustMax(uppers: (number | null)[], medians: (number | null)[]): number | null {
  const tops = uppers.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const mids = medians.filter((v): v is number => v !== null);
  if (tops.length === 0 && mids.length === 0) return null;
  const top = tops.length > 0 ? quantile(tops, 0.98) : 0;
  const value = mids.reduce((max, v) => Math.max(max, v), top) * 1.1;
  return value > 0 ? value : 1;
}
