import { Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useMemo } from 'react';
import { definedRuns, niceTicks, typicalStep } from './chartScale';
import { LOSS_COLORS } from './latencySeries';

export interface MiniChartProps {
  /** For tests and the label. */
  name: string;
  title: string;
  t: number[];
  values: (number | null)[];
  from: number;
  to: number;
  /** `bars` coloured by SmokePing's loss colours (loss), `line` otherwise. */
  kind: 'line' | 'bars';
  /** The y axis top; the data's maximum when absent. */
  max?: number;
  /** Bars: the loss colour of each point. */
  buckets?: (number | null)[];
  format: (value: number) => string;
  height?: number;
}

const PAD_X = 4;

/** A small chart under the latency one: loss, jitter, MOS. */
export function MiniChart(props: MiniChartProps) {
  const { name, title, t, values, from, to, kind, buckets, format, height = 56 } = props;
  const { ref, width: measured } = useElementSize();
  const width = Math.max(160, Math.floor(measured) || 300);
  const defined = values.filter((v): v is number => v !== null);
  const top = props.max ?? niceTicks(Math.max(...defined, 0) || 1).at(-1) ?? 1;
  const last = defined.at(-1);

  const shapes = useMemo(() => {
    const x = (v: number) => PAD_X + ((v - from) / Math.max(1, to - from)) * (width - 2 * PAD_X);
    const y = (v: number) => height - 2 - (Math.min(v, top) / top) * (height - 6);
    if (kind === 'bars') {
      return values.flatMap((v, i) =>
        v === null || v <= 0
          ? []
          : [
              <rect
                key={i}
                x={x(t[i]!) - 1}
                y={y(v)}
                width={2}
                height={height - 2 - y(v)}
                fill={LOSS_COLORS[buckets?.[i] ?? 1]?.color}
              />,
            ],
      );
    }
    const runs = definedRuns(t, (i) => values[i] !== null, typicalStep(t) * 3);
    const d = runs
      .map(
        (run) =>
          `M${run.map((i) => `${x(t[i]!).toFixed(1)},${y(values[i]!).toFixed(1)}`).join('L')}`,
      )
      .join('');
    return [
      <path
        key="line"
        d={d}
        fill="none"
        stroke="var(--mantine-primary-color-filled)"
        strokeWidth={1.5}
      />,
    ];
  }, [kind, values, t, from, to, width, height, top, buckets]);

  return (
    <div ref={ref} data-testid={`mini-${name}`} data-points={defined.length}>
      {/* Time runs left to right in every language. */}
      <Group justify="space-between" gap={4}>
        <Text size="xs" fw={600}>
          {title}
        </Text>
        <Text size="xs" c="dimmed" dir="ltr">
          {last === undefined ? '—' : format(last)}
        </Text>
      </Group>
      <svg width={width} height={height} role="img" aria-label={title}>
        <line
          x1={0}
          x2={width}
          y1={height - 2}
          y2={height - 2}
          stroke="var(--mantine-color-default-border)"
        />
        {shapes}
      </svg>
    </div>
  );
}
