import { useComputedColorScheme } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMilliseconds } from '../format/numbers';
import { useI18n } from '../i18n';
import { LOSS_COLORS, type LatencyChartData } from './latencySeries';
import { medianSegments, toUplotLatency, type UplotLatency } from './uplotData';

export interface LatencyChartProps {
  data: LatencyChartData;
  /** The requested range, so the x axis covers it even where nothing was measured. */
  from: number;
  to: number;
  height?: number;
}

/** Smoke densities, outermost band first: denser towards the middle of each round's RTTs. */
const BAND_OPACITY = [0.16, 0.26, 0.38];

/**
 * SmokePing's picture on uPlot (canvas, fast over 30 days of points): grey smoke of each round's
 * RTTs (min..max, then inner percentiles), the median line coloured by the round's loss, and a
 * mark under every lossy round. uPlot draws the axes and bands; the median's per-segment colours
 * and the loss marks are drawn in its `draw` hook, which uPlot's single-stroke series cannot do.
 */
export function LatencyChart({ data, from, to, height = 260 }: LatencyChartProps) {
  const { locale } = useI18n();
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const { ref, width: measured } = useElementSize();
  const width = Math.max(320, Math.floor(measured) || 800);
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const aligned = useMemo(() => toUplotLatency(data), [data]);

  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    const options = chartOptions({ aligned, data, from, to, width, height, locale, el });
    const chart = new uPlot(options, aligned.columns as uPlot.AlignedData, el);
    chart.setCursor({ left: -10, top: -10 });
    const onCursor = () => {
      const i = chart.cursor.idx;
      const node = readout.current;
      if (node === null) return;
      const t = i === null || i === undefined ? null : (aligned.columns[0]![i] ?? null);
      const median =
        i === null || i === undefined ? null : aligned.columns[aligned.medianSeries]![i];
      node.textContent =
        t === null
          ? ''
          : `${timeFormatFor(to - from, locale).format(t * 1000)} · ${
              median === null || median === undefined ? '—' : formatMilliseconds(median, locale)
            }`;
    };
    chart.hooks.setCursor = [onCursor];
    return () => chart.destroy();
    // `scheme`: the colours come from CSS variables of the current theme.
  }, [aligned, data, from, to, width, height, locale, scheme]);

  const medians = data.median.filter((v) => v !== null).length;
  const lossMarks = data.lossBucket.filter((b) => b !== null && b > 0).length;

  return (
    // Time runs left to right in every language, as on every chart people read.
    <div ref={ref} dir="ltr">
      <div
        ref={host}
        role="img"
        data-testid="latency-chart"
        data-points={data.t.length}
        data-rounds={data.rounds}
        data-medians={medians}
        data-resolution={data.resolution}
        data-bands={data.bands.length}
        data-loss-marks={lossMarks}
        style={{ minHeight: height }}
      />
      <div
        ref={readout}
        data-testid="latency-readout"
        style={{ fontSize: 11, minHeight: 16, color: 'var(--mantine-color-dimmed)' }}
      />
    </div>
  );
}

interface ChartInput {
  aligned: UplotLatency;
  data: LatencyChartData;
  from: number;
  to: number;
  width: number;
  height: number;
  locale: string;
  /** Where the theme's CSS variables are read. */
  el: HTMLElement;
}

function chartOptions({ aligned, data, from, to, width, height, locale, el }: ChartInput) {
  const css = getComputedStyle(el);
  const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const axis = color('--mantine-color-dimmed', '#868e96');
  const grid = color('--mantine-color-default-border', '#dee2e6');
  // Grey smoke: a mid grey on white, a lighter one on the dark background.
  const dark = el.closest('[data-mantine-color-scheme=dark]') !== null;
  const smoke = dark ? '206, 212, 218' : '134, 142, 150';
  const timeFormat = timeFormatFor(to - from, locale);
  const hidden: uPlot.Series = { stroke: 'transparent', width: 0, points: { show: false } };

  const series: uPlot.Series[] = [{}];
  data.bands.forEach((band) => {
    series.push(
      { ...hidden, label: `${band.kind} low` },
      { ...hidden, label: `${band.kind} high` },
    );
  });
  series.push({ ...hidden, label: 'median' });

  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: { time: true, range: (): uPlot.Range.MinMax => [from / 1000, to / 1000] },
      y: { range: (): uPlot.Range.MinMax => [0, data.yMax ?? 1] },
    },
    axes: [
      {
        stroke: axis,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        values: (_u: uPlot, splits: number[]) => splits.map((s) => timeFormat.format(s * 1000)),
      },
      {
        stroke: axis,
        size: 56,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        values: (_u: uPlot, splits: number[]) => splits.map((v) => formatMilliseconds(v, locale)),
      },
    ],
    series,
    bands: aligned.bandSeries.map(([upper, lower], k) => ({
      series: [upper, lower] as [number, number],
      fill: `rgba(${smoke}, ${BAND_OPACITY[k] ?? 0.4})`,
    })),
    hooks: { draw: [(u: uPlot) => drawMedianAndLoss(u, aligned)] },
  } satisfies uPlot.Options;
}

/** The median, segment by segment in SmokePing's loss colours, and marks under lossy rounds. */
function drawMedianAndLoss(u: uPlot, aligned: UplotLatency) {
  const { ctx, bbox } = u;
  const t = aligned.columns[0]!;
  const median = aligned.columns[aligned.medianSeries]!;
  const ratio = bbox.width / Math.max(1, u.width);
  const yMax = u.scales.y?.max ?? 1;
  // Outliers above the axis top are drawn at the top rather than off the chart.
  const y = (v: number) => u.valToPos(Math.min(v, yMax), 'y', true);
  const x = (i: number) => u.valToPos(t[i]!, 'x', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.lineWidth = 2 * ratio;
  ctx.lineCap = 'round';
  for (const segment of medianSegments(median, aligned.lossBucket)) {
    ctx.strokeStyle = LOSS_COLORS[segment.bucket]?.color ?? LOSS_COLORS[0]!.color;
    ctx.beginPath();
    const [x0, y0] = [x(segment.from), y(median[segment.from]!)];
    // A lone round still shows, as a short dash.
    ctx.moveTo(segment.from === segment.to ? x0 - ratio : x0, y0);
    ctx.lineTo(x(segment.to) + (segment.from === segment.to ? ratio : 0), y(median[segment.to]!));
    ctx.stroke();
  }
  aligned.lossBucket.forEach((bucket, i) => {
    if (bucket === null || bucket === 0) return;
    ctx.fillStyle = LOSS_COLORS[bucket]?.color ?? LOSS_COLORS[0]!.color;
    ctx.fillRect(x(i) - 1.5 * ratio, bbox.top + bbox.height - 6 * ratio, 3 * ratio, 6 * ratio);
  });
  ctx.restore();
}

/** Hours and minutes for a day or less, the date (and hour for a week or less) beyond. */
export function timeFormatFor(spanMs: number, locale: string): Intl.DateTimeFormat {
  const DAY = 86_400_000;
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
