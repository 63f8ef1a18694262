import { useElementSize } from '@mantine/hooks';
import { useMemo } from 'react';
import { formatMilliseconds } from '../format/numbers';
import { useI18n } from '../i18n';
import { definedRuns, niceTicks, timeTicks, typicalStep } from './chartScale';
import classes from './LatencyChart.module.css';
import { LOSS_COLORS, type LatencyChartData } from './latencySeries';

/**
 * What a latency chart takes, whoever draws it: this SVG chart today; a uPlot one can take its
 * place behind the same props (the data are already uPlot's aligned columns).
 */
export interface LatencyChartProps {
  data: LatencyChartData;
  /** The requested range, so the x axis covers it even where nothing was measured. */
  from: number;
  to: number;
  height?: number;
}

const PAD = { top: 10, right: 12, bottom: 24, left: 52 };
const BAND_OPACITY = [0.16, 0.26, 0.38];

/** SmokePing's picture: grey smoke of each round's RTTs, the median line coloured by loss. */
export function LatencyChart({ data, from, to, height = 260 }: LatencyChartProps) {
  const { locale } = useI18n();
  const { ref, width: measured } = useElementSize();
  const width = Math.max(320, Math.floor(measured) || 800);
  const drawing = useMemo(
    () => draw(data, from, to, width, height),
    [data, from, to, width, height],
  );
  const timeFormat = useMemo(() => timeFormatFor(to - from, locale), [from, to, locale]);
  const medians = data.median.filter((v) => v !== null).length;

  return (
    // Time runs left to right in every language, as on every chart people read.
    <div ref={ref} dir="ltr">
      <svg
        className={classes.chart}
        width={width}
        height={height}
        role="img"
        data-testid="latency-chart"
        data-points={data.t.length}
        data-rounds={data.rounds}
        data-medians={medians}
        data-resolution={data.resolution}
      >
        {drawing.yTicks.map((tick) => (
          <g key={`y${tick.value}`}>
            <line
              className={classes.grid}
              x1={PAD.left}
              x2={width - PAD.right}
              y1={tick.y}
              y2={tick.y}
            />
            <text className={classes.axis} x={PAD.left - 6} y={tick.y} dy="0.32em" textAnchor="end">
              {formatMilliseconds(tick.value, locale)}
            </text>
          </g>
        ))}
        {drawing.xTicks.map((tick, i) => (
          <text
            key={`x${tick.t}`}
            className={classes.axis}
            x={tick.x}
            y={height - 6}
            textAnchor={i === 0 ? 'start' : i === drawing.xTicks.length - 1 ? 'end' : 'middle'}
          >
            {timeFormat.format(tick.t)}
          </text>
        ))}
        {drawing.bands.map((path, i) => (
          <path
            key={`band${i}`}
            className={classes.band}
            d={path}
            opacity={BAND_OPACITY[i] ?? 0.4}
            data-testid="latency-band"
          />
        ))}
        {drawing.median.map(({ bucket, d }) => (
          <path
            key={`median${bucket}`}
            d={d}
            fill="none"
            stroke={LOSS_COLORS[bucket]?.color}
            strokeWidth={2}
            strokeLinecap="round"
            data-testid="latency-median"
            data-loss-bucket={bucket}
          />
        ))}
        {drawing.lossMarks.map((mark) => (
          <rect
            key={`loss${mark.i}`}
            x={mark.x - 1.5}
            y={height - PAD.bottom - 6}
            width={3}
            height={6}
            fill={LOSS_COLORS[mark.bucket]?.color}
            data-testid="loss-mark"
          />
        ))}
      </svg>
    </div>
  );
}

function draw(data: LatencyChartData, from: number, to: number, width: number, height: number) {
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const yMax = data.yMax ?? 1;
  const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * plotW;
  // Values above the axis top (outliers) are drawn at the top rather than off the chart.
  const y = (v: number) => PAD.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const f = (n: number) => n.toFixed(1);
  const maxGap = typicalStep(data.t) * 3;

  const bands = data.bands.map((band) =>
    definedRuns(data.t, (i) => band.lower[i] !== null && band.upper[i] !== null, maxGap)
      .map((run) => {
        const top = run.map((i) => `${f(x(data.t[i]!))},${f(y(band.upper[i]!))}`);
        const bottom = [...run].reverse().map((i) => `${f(x(data.t[i]!))},${f(y(band.lower[i]!))}`);
        // A lone point still gets a sliver of smoke, 2 px wide.
        if (run.length === 1) {
          const i = run[0]!;
          const [x0, x1] = [f(x(data.t[i]!) - 1), f(x(data.t[i]!) + 1)];
          return `M${x0},${f(y(band.upper[i]!))}H${x1}V${f(y(band.lower[i]!))}H${x0}Z`;
        }
        return `M${top.join('L')}L${bottom.join('L')}Z`;
      })
      .join(''),
  );

  // One path per loss colour; each segment takes the colour of the round it leads to.
  const segments = new Map<number, string[]>();
  for (const run of definedRuns(data.t, (i) => data.median[i] !== null, maxGap)) {
    run.forEach((i, k) => {
      const bucket = data.lossBucket[i] ?? 0;
      const here = `${f(x(data.t[i]!))},${f(y(data.median[i]!))}`;
      const prev = k === 0 ? null : run[k - 1]!;
      const start =
        prev === null
          ? `${f(x(data.t[i]!) - 1)},${f(y(data.median[i]!))}`
          : `${f(x(data.t[prev]!))},${f(y(data.median[prev]!))}`;
      const list = segments.get(bucket) ?? [];
      list.push(`M${start}L${here}`);
      segments.set(bucket, list);
    });
  }
  const median = [...segments.entries()].map(([bucket, parts]) => ({ bucket, d: parts.join('') }));

  const lossMarks: { i: number; x: number; bucket: number }[] = [];
  data.lossBucket.forEach((bucket, i) => {
    if (bucket !== null && bucket > 0) lossMarks.push({ i, x: x(data.t[i]!), bucket });
  });

  return {
    bands,
    median,
    lossMarks,
    yTicks: niceTicks(yMax).map((value) => ({ value, y: y(value) })),
    xTicks: timeTicks(from, to, Math.max(2, Math.min(7, Math.floor(plotW / 120)))).map((t) => ({
      t,
      x: x(t),
    })),
  };
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
