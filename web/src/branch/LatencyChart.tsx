import { useComputedColorScheme } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { Group, Text } from '@mantine/core';
import { formatMilliseconds, formatPercent } from '../format/numbers';
import { typicalStep } from './chartScale';
import { tickFormat, timeTicks } from './timeAxis';
import { useI18n, type I18n } from '../i18n';
import { LOSS_COLORS, type LatencyChartData } from './latencySeries';
import { medianSegments, toUplotLatency, type UplotLatency } from './uplotData';

export interface LatencyChartProps {
  data: LatencyChartData;
  /** The range the x axis covers, also where nothing was measured. */
  from: number;
  to: number;
  height?: number;
  /** A span dragged across the chart (ms): the page shows it as its new range. */
  onZoom?: (from: number, to: number) => void;
  /** What the y axis measures: round-trip times, or a TCP check's connect time. */
  axis?: 'rtt' | 'connect';
}

/** Smoke densities, outermost band first: denser towards the middle of each round's RTTs. */
const BAND_OPACITY = [0.16, 0.26, 0.38];

/**
 * SmokePing's picture on uPlot (canvas, fast over 30 days of points): grey smoke of each round's
 * RTTs (min..max, then inner percentiles), the median line coloured by the round's loss, and a
 * mark under every lossy round. uPlot draws the axes and bands; the median's per-segment colours
 * and the loss marks are drawn in its `draw` hook, which uPlot's single-stroke series cannot do.
 */
export function LatencyChart({
  data,
  from,
  to,
  height = 260,
  onZoom,
  axis = 'rtt',
}: LatencyChartProps) {
  const i18n = useI18n();
  const { locale, t } = i18n;
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const { ref, width: measured } = useElementSize();
  const width = Math.max(300, Math.floor(measured) || 800);
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const aligned = useMemo(() => toUplotLatency(data), [data]);
  const zoomTo = useRef(onZoom);
  useEffect(() => {
    zoomTo.current = onZoom;
  });

  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    const words = {
      rtt: t(axis === 'connect' ? 'chart.connectAxis' : 'chart.rttAxis'),
      noData: t('chart.noData'),
    };
    const options = chartOptions({ aligned, data, from, to, width, height, locale, el, words });
    const chart = new uPlot(options, aligned.columns as uPlot.AlignedData, el);
    chart.setCursor({ left: -10, top: -10 });
    chart.hooks.setCursor = [
      () => showReadout(chart, aligned, data, to - from, readout.current, i18n),
    ];
    // A drag across the chart selects a span; it becomes the page's range (history keeps the
    // one before, and the panel offers a way back).
    chart.hooks.setSelect = [
      (u: uPlot) => {
        if (u.select.width < 4) return;
        const a = u.posToVal(u.select.left, 'x') * 1000;
        const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        zoomTo.current?.(Math.round(a), Math.round(b));
      },
    ];
    return () => chart.destroy();
    // `scheme`: the colours come from CSS variables of the current theme.
  }, [aligned, data, from, to, width, height, locale, scheme, t, i18n, axis]);

  const medians = data.median.filter((v) => v !== null).length;
  const lossMarks = data.lossBucket.filter((b) => b !== null && b > 0).length;

  return (
    <div ref={ref}>
      {/* Time runs left to right in every language (docs/decisions.md, "Charts in Persian"). */}
      <div dir="ltr">
        <div
          ref={host}
          role="img"
          aria-label={t('branch.latency')}
          data-testid="latency-chart"
          data-points={data.t.length}
          data-rounds={data.rounds}
          data-medians={medians}
          data-resolution={data.resolution}
          data-bands={data.bands.length}
          data-loss-marks={lossMarks}
          data-gaps={gapsOf(aligned, from, to).length}
          data-from={from}
          data-to={to}
          style={{ minHeight: height, cursor: onZoom ? 'crosshair' : undefined }}
        />
      </div>
      <div
        ref={readout}
        data-testid="latency-readout"
        aria-live="polite"
        style={{ fontSize: 12, minHeight: 18, color: 'var(--mantine-color-dimmed)' }}
      />
      <ChartLegend data={data} />
    </div>
  );
}

/** The hover readout: when, the median, the outer band and the loss of the round under the cursor. */
function showReadout(
  chart: uPlot,
  aligned: UplotLatency,
  data: LatencyChartData,
  span: number,
  node: HTMLDivElement | null,
  { t, locale }: I18n,
) {
  if (node === null) return;
  const i = chart.cursor.idx;
  const at = i === null || i === undefined ? null : (aligned.columns[0]![i] ?? null);
  if (at === null) {
    node.textContent = '';
    return;
  }
  const time = readoutFormat(span, locale).format(at * 1000);
  const median = aligned.columns[aligned.medianSeries]![i!];
  if (median === null || median === undefined) {
    node.textContent = t('chart.readoutGap', { time });
    return;
  }
  const [upper, lower] = aligned.bandSeries[0] ?? [aligned.medianSeries, aligned.medianSeries];
  const ms = (v: number | null | undefined) =>
    v === null || v === undefined ? '—' : t('chart.ms', { v: formatMilliseconds(v, locale) });
  const point = data.t.indexOf(at * 1000);
  const loss = point >= 0 ? data.loss[point] : null;
  node.textContent = t('chart.readout', {
    time,
    median: ms(median),
    low: ms(aligned.columns[lower]![i!]),
    high: ms(aligned.columns[upper]![i!]),
    loss:
      loss === null || loss === undefined
        ? '—'
        : t('chart.percent', { v: formatPercent(loss, locale) }),
  });
}

/** What the smoke, the line's colours and the marks mean, under the chart. */
function ChartLegend({ data }: { data: LatencyChartData }) {
  const { t } = useI18n();
  return (
    <Group gap="md" wrap="wrap" mt={4} data-testid="latency-legend">
      <Group gap={6} wrap="nowrap">
        <Text size="xs" c="dimmed">
          {t('chart.legend.median')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('chart.legend.noLoss')}
        </Text>
        <Group gap={0} wrap="nowrap" dir="ltr">
          {LOSS_COLORS.map((c) => (
            <span key={c.color} style={{ width: 10, height: 4, background: c.color }} />
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {t('chart.legend.allLost')}
        </Text>
      </Group>
      {data.bands.map((band, k) => (
        <Group key={band.kind} gap={6} wrap="nowrap">
          <span
            aria-hidden
            style={{
              width: 14,
              height: 10,
              background: `rgba(134, 142, 150, ${BAND_OPACITY.slice(0, k + 1).reduce((a, b) => a + b, 0)})`,
            }}
          />
          <Text size="xs" c="dimmed">
            {t(`chart.band.${band.kind}`)}
          </Text>
        </Group>
      ))}
      <Group gap={6} wrap="nowrap">
        <span aria-hidden style={{ width: 3, height: 8, background: LOSS_COLORS[3]!.color }} />
        <Text size="xs" c="dimmed">
          {t('chart.legend.lossMark')}
        </Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <span
          aria-hidden
          style={{
            width: 14,
            height: 10,
            background:
              'repeating-linear-gradient(45deg, rgba(134,142,150,0.35) 0 2px, transparent 2px 5px)',
          }}
        />
        <Text size="xs" c="dimmed">
          {t('chart.legend.gap')}
        </Text>
      </Group>
    </Group>
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
  words: { rtt: string; noData: string };
}

const AXIS_FONT = '11px system-ui, sans-serif';

function chartOptions({ aligned, data, from, to, width, height, locale, el, words }: ChartInput) {
  const css = getComputedStyle(el);
  const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const axis = color('--mantine-color-dimmed', '#868e96');
  const grid = color('--mantine-color-default-border', '#dee2e6');
  // Grey smoke: a mid grey on white, a lighter one on the dark background.
  const dark = el.closest('[data-mantine-color-scheme=dark]') !== null;
  const smoke = dark ? '206, 212, 218' : '134, 142, 150';
  const timeFormat = tickFormat(to - from, locale);
  const labelWidth = measureLabel(timeFormat.format(to)) + 8;
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
    cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: true, range: (): uPlot.Range.MinMax => [from / 1000, to / 1000] },
      y: { range: (): uPlot.Range.MinMax => [0, data.yMax ?? 1] },
    },
    axes: [
      {
        stroke: axis,
        font: AXIS_FONT,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        // Our own ticks: as many as whole labels fit, on round local times (timeAxis.ts).
        splits: (u: uPlot, _axis: number, min: number, max: number) =>
          timeTicks(min * 1000, max * 1000, u.bbox.width / devicePixelRatio, labelWidth).map(
            (ms) => ms / 1000,
          ),
        values: (_u: uPlot, splits: number[]) => splits.map((s) => timeFormat.format(s * 1000)),
      },
      {
        stroke: axis,
        font: AXIS_FONT,
        labelFont: AXIS_FONT,
        label: words.rtt,
        labelSize: 18,
        size: 48,
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
    hooks: {
      draw: [
        (u: uPlot) => drawGaps(u, gapsOf(aligned, from, to), words.noData, axis),
        (u: uPlot) => drawMedianAndLoss(u, aligned),
      ],
    },
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

/** The readout's time: to the second, with the date when the range is longer than a day. */
function readoutFormat(spanMs: number, locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    ...(spanMs > 86_400_000 ? { month: 'short', day: 'numeric', weekday: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

let measurer: CanvasRenderingContext2D | null = null;

/** How wide a tick label is drawn, in CSS pixels. */
function measureLabel(text: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (measurer === null) return text.length * 7;
  measurer.font = AXIS_FONT;
  return measurer.measureText(text).width;
}

/**
 * Where the agent was silent, in seconds: between rounds further apart than three usual steps,
 * and before the first and after the last round when the range reaches that far.
 */
export function gapsOf(aligned: UplotLatency, from: number, to: number): [number, number][] {
  const t = aligned.columns[0]!.filter(
    (_, i) => aligned.columns[aligned.medianSeries]![i] !== null,
  );
  if (t.length === 0) return [];
  const step = typicalStep(t as number[]);
  const limit = Number.isFinite(step) ? 3 * step : 300;
  const gaps: [number, number][] = [];
  if (t[0]! - from / 1000 > limit) gaps.push([from / 1000, t[0]!]);
  for (let i = 1; i < t.length; i += 1) {
    if (t[i]! - t[i - 1]! > limit) gaps.push([t[i - 1]!, t[i]!]);
  }
  if (to / 1000 - t.at(-1)! > limit) gaps.push([t.at(-1)!, to / 1000]);
  return gaps;
}

/** Hatched bands where nothing was measured, named when there is room. */
function drawGaps(u: uPlot, gaps: [number, number][], label: string, color: string) {
  const { ctx, bbox } = u;
  const ratio = bbox.width / Math.max(1, u.width);
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  for (const [a, b] of gaps) {
    const x0 = u.valToPos(a, 'x', true);
    const x1 = u.valToPos(b, 'x', true);
    ctx.fillStyle = 'rgba(134, 142, 150, 0.10)';
    ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, bbox.top, x1 - x0, bbox.height);
    ctx.clip();
    ctx.strokeStyle = 'rgba(134, 142, 150, 0.35)';
    ctx.lineWidth = ratio;
    ctx.beginPath();
    for (let x = x0 - bbox.height; x < x1; x += 8 * ratio) {
      ctx.moveTo(x, bbox.top + bbox.height);
      ctx.lineTo(x + bbox.height, bbox.top);
    }
    ctx.stroke();
    ctx.restore();
    ctx.font = `${11 * ratio}px system-ui, sans-serif`;
    if (x1 - x0 > ctx.measureText(label).width + 8 * ratio) {
      ctx.fillStyle = color;
      ctx.textAlign = 'center';
      ctx.fillText(label, (x0 + x1) / 2, bbox.top + 14 * ratio);
    }
  }
  ctx.restore();
}
