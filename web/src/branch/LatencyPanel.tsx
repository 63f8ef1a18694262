import {
  Alert,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { ApiClient } from '../api/client';
import type { Check } from '../api/types';
import { describeError } from '../common/describeError';
import { formatMilliseconds, formatPercent } from '../format/numbers';
import { useI18n } from '../i18n';
import { liveSource } from '../live/liveSource';
import { pollingSource, useSource } from '../live/source';
import { LatencyChart } from './LatencyChart';
import { seriesForChart } from './latencySeries';
import { MiniChart } from './MiniChart';
import { RangePicker } from './RangePicker';
import { rangeBounds, refreshIntervalFor, type TimeRange } from './timeRange';
import { fittedRange } from './timeAxis';

interface LatencyPanelProps {
  checks: Check[];
  checkId: string | null;
  range: TimeRange;
  onCheckChange: (checkId: string) => void;
  onRangeChange: (range: TimeRange) => void;
}

/** Probe types whose rounds carry RTTs the SmokePing chart can draw (TCP: the connect time). */
export const LATENCY_TYPES = new Set(['icmp', 'voice', 'tcp']);

/**
 * A check's series over `range`, with the chart's columns computed once per answer. A moving
 * range is read again when the check changes state (a live event) and every refresh interval
 * (new rounds arrive without events); a fixed range once.
 */
function seriesSource(api: ApiClient, checkId: string, range: TimeRange) {
  const load = async () => {
    const { from, to } = rangeBounds(range, Date.now());
    const series = await api.series(checkId, new Date(from), new Date(to));
    return { series, from, to, chart: seriesForChart(series.points, series.resolution) };
  };
  const every = refreshIntervalFor(range);
  if (every === null) return pollingSource(load, null);
  return liveSource(load, {
    types: ['check.stateChanged'],
    fallbackMs: every,
    livePollMs: every,
    accepts: (event) => event.checkId === checkId,
  });
}

/** The range picker, the check picker, the SmokePing chart and loss/jitter/MOS under it. */
export function LatencyPanel({
  checks,
  checkId,
  range,
  onCheckChange,
  onRangeChange,
}: LatencyPanelProps) {
  const api = useApi();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const candidates = checks.filter((c) => LATENCY_TYPES.has(c.type));

  // A fresh source per check and range; a preset range recomputes "now" on every refresh.
  const source = useMemo(
    () => (checkId === null ? null : seriesSource(api, checkId, range)),
    [api, checkId, range],
  );
  const { data, error } = useSource(source);
  // Ranges the person zoomed in from, most recent last: "Back" returns to them.
  const [zoomedFrom, setZoomedFrom] = useState<TimeRange[]>([]);
  const view = data === null ? null : fittedRange(data.chart.t, data.from, data.to);
  const zoom = (from: number, to: number) => {
    setZoomedFrom((stack) => [...stack, range]);
    onRangeChange({ kind: 'custom', from, to });
  };
  const back = () => {
    const previous = zoomedFrom.at(-1);
    if (previous === undefined) return;
    setZoomedFrom((stack) => stack.slice(0, -1));
    onRangeChange(previous);
  };

  return (
    <Card data-testid="latency-panel">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="sm" wrap="wrap" align="end">
            <Title order={3} size="h5">
              {t('branch.latency')}
            </Title>
            {candidates.length > 0 && (
              <Select
                size="xs"
                aria-label={t('branch.chartCheck')}
                value={checkId}
                allowDeselect={false}
                onChange={(value) => value && onCheckChange(value)}
                data={candidates.map((c) => ({ value: c.id, label: `${c.key} · ${c.target}` }))}
                data-testid="chart-check"
                w={260}
              />
            )}
          </Group>
          <RangePicker range={range} onChange={onRangeChange} />
        </Group>
        {checkId === null ? (
          <Text size="sm" c="dimmed" data-testid="no-latency-check">
            {t('branch.noLatencyCheck')}
          </Text>
        ) : data === null ? (
          error === null ? (
            <Center h={260}>
              <Loader />
            </Center>
          ) : (
            <Alert color="red" title={t('branch.seriesFailed')} role="alert">
              {describeError(error, i18n)}
            </Alert>
          )
        ) : (
          <>
            {error !== null && (
              <Alert color="yellow" title={t('overview.refreshFailed')} role="status">
                {describeError(error, i18n)}
              </Alert>
            )}
            <Group gap="md" data-testid="series-summary" data-resolution={data.series.resolution}>
              <Text size="xs" c="dimmed">
                {t('branch.resolution', { resolution: t(`resolution.${data.series.resolution}`) })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('chart.rounds', { n: data.chart.rounds })}
              </Text>
              {data.series.availability.percent !== null && (
                <Text size="xs" c="dimmed">
                  {t('branch.availability', {
                    percent: formatPercent(data.series.availability.percent, locale),
                    rounds: data.series.availability.rounds,
                  })}
                </Text>
              )}
            </Group>
            {data.chart.t.length === 0 && (
              <Text size="sm" c="dimmed" data-testid="no-data">
                {t('branch.noData')}
              </Text>
            )}
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Text size="xs" c="dimmed" data-testid="chart-note">
                {view?.fitted
                  ? t('chart.fitted', {
                      when: new Intl.DateTimeFormat(locale, {
                        hour: '2-digit',
                        minute: '2-digit',
                      }).format(data.chart.t[0]),
                    })
                  : t('chart.zoomHint')}
              </Text>
              {zoomedFrom.length > 0 && (
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={back}
                  data-testid="chart-zoom-back"
                >
                  {t('chart.zoomBack')}
                </Button>
              )}
            </Group>
            <LatencyChart
              data={data.chart}
              from={view!.from}
              to={view!.to}
              onZoom={zoom}
              axis={candidates.find((c) => c.id === checkId)?.type === 'tcp' ? 'connect' : 'rtt'}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <MiniChart
                name="loss"
                title={t('branch.loss')}
                kind="bars"
                t={data.chart.t}
                values={data.chart.loss}
                buckets={data.chart.lossBucket}
                max={100}
                from={view!.from}
                to={view!.to}
                format={(v) => t('chart.percent', { v: formatPercent(v, locale) })}
              />
              <MiniChart
                name="jitter"
                title={t('branch.jitter')}
                kind="line"
                t={data.chart.t}
                values={data.chart.jitter}
                from={view!.from}
                to={view!.to}
                format={(v) => t('chart.ms', { v: formatMilliseconds(v, locale) })}
              />
              <MiniChart
                name="mos"
                title={t('branch.mos')}
                kind="line"
                t={data.chart.t}
                values={data.chart.mos}
                max={4.5}
                from={view!.from}
                to={view!.to}
                format={(v) =>
                  new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v)
                }
              />
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Card>
  );
}
