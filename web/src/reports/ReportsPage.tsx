import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATES } from '@branchwatch/api';
import { useApi } from '../api/ApiContext';
import type { ApiAnswer, TicketState } from '../api/types';
import { useTenantScope } from '../admin/tenantScope';
import { href, navigate, useLocation } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useDirectory } from '../desk/useDirectory';
import { formatDuration } from '../format/duration';
import { useI18n, type I18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { ticketStateColor } from '../theme/stateColors';
import { BarList, type Bar } from './BarList';
import { ReportsTabs } from './ReportsTabs';
import {
  REPORT_RANGES,
  dashboardParams,
  exportHref,
  reportFromSearch,
  reportPeriod,
  reportToSearch,
  type ReportQuery,
} from './reportQuery';

type Dashboard = ApiAnswer<'/api/v1/reports/dashboard', 'get'>;
type Counts = Dashboard['counts']['status'];

/** The KPI dashboard: filters in the address, figures from the hub, files to take away. */
export function ReportsPage() {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const { query: search } = useLocation();
  const searchText = search.toString();
  const query = useMemo(() => reportFromSearch(new URLSearchParams(searchText)), [searchText]);
  const directory = useDirectory();
  const tenants = useTenantScope();
  // The period is fixed when the filters change, not on every render.
  const period = useMemo(() => reportPeriod(query.range, new Date()), [query.range]);
  const params = useMemo(() => dashboardParams(query, period), [query, period]);
  const paramText = useMemo(() => params.toString(), [params]);
  const load = useCallback(
    () => api.send<Dashboard>('GET', `/api/v1/reports/dashboard?${paramText}`),
    [api, paramText],
  );
  const { data, error } = useLoad(load);
  const go = (change: Partial<ReportQuery>) =>
    navigate(href('/reports', reportToSearch({ ...query, ...change })), { replace: true });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium' });
  const tenantSlug = tenants?.find((x) => x.id === query.tenant)?.slug;
  const branches = directory.branches.filter((b) => !tenantSlug || b.tenant === tenantSlug);

  return (
    <Stack gap="md" data-testid="reports-page">
      <ReportsTabs current="dashboard" />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3">
            {t('reports.title')}
          </Title>
          <Text size="sm" c="dimmed" data-testid="reports-period">
            {t('reports.period', { from: date.format(period.from), to: date.format(period.to) })}
          </Text>
        </div>
        <Group gap="xs">
          {(['csv', 'xlsx', 'pdf'] as const).map((format) => (
            <Button
              key={format}
              component="a"
              variant="default"
              size="sm"
              href={exportHref(format, params, i18n.language, zone)}
              data-testid={`reports-export-${format}`}
            >
              {t(`reports.export.${format}`)}
            </Button>
          ))}
        </Group>
      </Group>
      <Group gap="sm" align="flex-end">
        <SegmentedControl
          data-testid="reports-range"
          value={query.range}
          onChange={(range) => go({ range: range as ReportQuery['range'] })}
          data={REPORT_RANGES.map((r) => ({ value: r, label: t(`reports.range.${r}`) }))}
        />
        {tenants !== null && (
          <NativeSelect
            label={t('reports.tenant')}
            data-testid="reports-tenant"
            value={query.tenant ?? ''}
            onChange={(e) => go({ tenant: e.currentTarget.value || null, branch: null })}
            data={[
              { value: '', label: t('reports.allTenants') },
              ...tenants.map((x) => ({ value: x.id, label: x.name })),
            ]}
          />
        )}
        <NativeSelect
          label={t('reports.branch')}
          data-testid="reports-branch"
          value={query.branch ?? ''}
          onChange={(e) => go({ branch: e.currentTarget.value || null })}
          data={[
            { value: '', label: t('reports.allBranches') },
            ...branches.map((b) => ({ value: b.id, label: b.name })),
          ]}
        />
      </Group>
      {error !== null && (
        <Alert color="red" title={t('reports.loadFailed')}>
          {describeError(error, i18n)}
        </Alert>
      )}
      {data === null ? error === null && <Loader size="sm" /> : <Figures data={data} i18n={i18n} />}
    </Stack>
  );
}

function Figures({ data, i18n }: { data: Dashboard; i18n: I18n }) {
  const { t } = i18n;
  const number = new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 1 });
  const percent = (digits: number) =>
    new Intl.NumberFormat(i18n.locale, { style: 'percent', maximumFractionDigits: digits });
  const pct = (share: number | null) => (share === null ? '—' : percent(1).format(share));
  const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, i18n));
  const bars = (
    rows: Counts,
    label: (r: Counts[number]) => string,
    color?: (r: Counts[number]) => string,
  ) =>
    rows.map((r): Bar => ({
      key: r.key ?? '',
      label: label(r),
      value: r.tickets,
      ...(color ? { color: color(r) } : {}),
    }));
  const category = (key: string | null) =>
    key === null
      ? t('reports.noCategory')
      : (TICKET_CATEGORIES as readonly string[]).includes(key)
        ? t(`category.${key}` as MessageKey)
        : key;
  // States in workflow order, priorities most urgent first: the order people know them in.
  const ordered = (rows: Counts, order: readonly string[]) =>
    [...rows].sort((a, b) => order.indexOf(a.key ?? '') - order.indexOf(b.key ?? ''));
  const counts: [MessageKey, Bar[]][] = [
    [
      'reports.byStatus',
      bars(
        ordered(data.counts.status, TICKET_STATES),
        (r) => t(`ticketState.${r.key}` as MessageKey),
        (r) => `var(--mantine-color-${ticketStateColor[r.key as TicketState] ?? 'gray'}-filled)`,
      ),
    ],
    [
      'reports.byPriority',
      bars(ordered(data.counts.priority, [...TICKET_PRIORITIES].reverse()), (r) =>
        t(`priority.${r.key}` as MessageKey),
      ),
    ],
    ['reports.byCategory', bars(data.counts.category, (r) => category(r.key))],
    [
      'reports.byAgent',
      bars(data.counts.agent, (r) => (r.key === null ? t('reports.unassigned') : (r.label ?? ''))),
    ],
    [
      'reports.byTeam',
      bars(data.counts.team, (r) => (r.key === null ? t('reports.noTeam') : (r.label ?? ''))),
    ],
  ];
  const sla = data.sla.resolution;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Kpi
          label={t('reports.tickets')}
          value={number.format(data.times.all.tickets)}
          testId="kpi-tickets"
        />
        <Kpi
          label={t('reports.mtta')}
          value={duration(data.times.all.mttaMs)}
          detail={t('reports.businessTime')}
          testId="kpi-mtta"
        />
        <Kpi
          label={t('reports.mttr')}
          value={duration(data.times.all.mttrMs)}
          detail={t('reports.businessTime')}
          testId="kpi-mttr"
        />
        <Kpi
          label={t('reports.slaCompliance')}
          value={pct(sla.compliance)}
          detail={t('reports.metOf', { met: sla.met, decided: sla.met + sla.breached })}
          testId="kpi-sla"
        />
      </SimpleGrid>
      {data.times.all.tickets === 0 && (
        <Text c="dimmed" data-testid="reports-empty">
          {t('reports.empty')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {counts.map(([title, list]) => (
          <Card key={title} withBorder padding="sm">
            <Text fw={600} mb="xs">
              {t(title)}
            </Text>
            {list.length === 0 ? (
              <Text size="sm" c="dimmed">
                —
              </Text>
            ) : (
              <BarList
                bars={list}
                format={(n) => number.format(n)}
                testId={title.replace('.', '-')}
              />
            )}
          </Card>
        ))}
        <Card withBorder padding="sm" data-testid="reports-satisfaction">
          <Text fw={600} mb="xs">
            {t('reports.satisfaction')}
          </Text>
          {data.satisfaction === null || data.satisfaction.ratings === 0 ? (
            <Text size="sm" c="dimmed">
              {t('reports.noRatings')}
            </Text>
          ) : (
            <Text size="xl" fw={700}>
              {t('reports.score', {
                mean: number.format(data.satisfaction.mean ?? 0),
                n: data.satisfaction.ratings,
              })}
            </Text>
          )}
        </Card>
      </SimpleGrid>
      <Card withBorder padding="sm">
        <Text fw={600} mb="xs">
          {t('reports.bySource')}
        </Text>
        {/* Four short columns fit a phone's card when their words may wrap: no sideways
            scrolling inside the card. */}
        <Table.ScrollContainer minWidth={0}>
          <Table horizontalSpacing={6} data-testid="reports-times">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.openedBy')}</Table.Th>
                <Table.Th>{t('reports.tickets')}</Table.Th>
                <Table.Th>{t('reports.mtta')}</Table.Th>
                <Table.Th>{t('reports.mttr')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(['alert', 'person'] as const).map((who) => (
                <Table.Tr key={who}>
                  <Table.Td>{t(`reports.openedBy.${who}`)}</Table.Td>
                  <Table.Td>{number.format(data.times[who].tickets)}</Table.Td>
                  <Table.Td>{duration(data.times[who].mttaMs)}</Table.Td>
                  <Table.Td>{duration(data.times[who].mttrMs)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Card withBorder padding="sm">
        <Text fw={600} mb="xs">
          {t('reports.availability', { target: percent(2).format(data.targetPercent / 100) })}
        </Text>
        <Table.ScrollContainer minWidth={360}>
          <Table data-testid="reports-availability">
            <Table.Tbody>
              {data.availability.map((link) => (
                <Table.Tr key={link.branchId}>
                  <Table.Td>{link.branchName}</Table.Td>
                  <Table.Td>
                    {link.percent === null
                      ? t('reports.noLink')
                      : percent(3).format(link.percent / 100)}
                  </Table.Td>
                  <Table.Td>
                    {link.met !== null && (
                      <Badge color={link.met ? 'green' : 'red'} variant="light">
                        {t(link.met ? 'reports.targetMet' : 'reports.targetMissed')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

function Kpi({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  testId: string;
}) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </Card>
  );
}
