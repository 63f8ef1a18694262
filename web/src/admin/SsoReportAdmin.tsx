import {
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { signInMethodWords, signInReasonWords } from '@branchwatch/api';
import { useApi } from '../api/ApiContext';
import type { ApiAnswer } from '../api/types';
import { useLoad } from '../common/useLoad';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { REPORT_RANGES, reportPeriod, type ReportRange } from '../reports/reportQuery';
import { formatDuration } from '../format/duration';
import { LoadState } from './common';
import { TenantPicker, useTenantScopeState } from './tenantScope';

type SsoReport = ApiAnswer<'/api/v1/sso-report', 'get'>['report'];

/**
 * Admin → Sign-in security (docs/sso.md "Security report"): over a period, sign-ins and refusals
 * per provider, refusals by reason in words, break-glass sign-ins, and the tenant's accounts that
 * never signed in; the same as CSV. A global admin picks the tenant.
 */
export function SsoReportAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const scope = useTenantScopeState();
  const tenants = scope.tenants;
  const [picked, setPicked] = useState<string | null>(null);
  const [range, setRange] = useState<ReportRange>('30d');
  const tenantId = tenants ? (picked ?? tenants[0]?.id ?? null) : null;
  const period = useMemo(() => reportPeriod(range, new Date()), [range]);
  const params = useMemo(() => {
    const q = new URLSearchParams({
      from: period.from.toISOString(),
      to: period.to.toISOString(),
    });
    if (tenantId) q.set('tenantId', tenantId);
    return q.toString();
  }, [period, tenantId]);
  const load = useCallback(
    () =>
      !scope.known || (tenants !== null && tenantId === null)
        ? Promise.resolve(null)
        : api.send<{ report: SsoReport }>('GET', `/api/v1/sso-report?${params}`),
    [api, params, scope.known, tenants, tenantId],
  );
  const page = useLoad(load);
  const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium' });
  return (
    <Stack gap="md" data-testid="sso-report-page">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={2}>{t('admin.section.security')}</Title>
          <Text size="sm" c="dimmed" data-testid="sso-report-period">
            {t('ssoReport.period', { from: date.format(period.from), to: date.format(period.to) })}
          </Text>
        </div>
        <Button
          component="a"
          variant="default"
          size="sm"
          href={`/api/v1/sso-report.csv?${params}&lang=${i18n.language}`}
          data-testid="sso-report-csv"
        >
          {t('ssoReport.csv')}
        </Button>
      </Group>
      <Text size="sm">{t('ssoReport.help')}</Text>
      <Group gap="sm" align="flex-end">
        <SegmentedControl
          data-testid="sso-report-range"
          value={range}
          onChange={(value) => setRange(value as ReportRange)}
          data={REPORT_RANGES.map((r) => ({ value: r, label: t(`reports.range.${r}`) }))}
        />
        <TenantPicker
          tenants={tenants}
          value={tenantId}
          onChange={setPicked}
          testId="sso-report-tenant"
        />
      </Group>
      <LoadState error={page.error} loading={page.data === null && page.error === null}>
        {page.data && <Figures report={page.data.report} i18n={i18n} />}
      </LoadState>
    </Stack>
  );
}

function Figures({ report, i18n }: { report: SsoReport; i18n: I18n }) {
  const { t, language, locale } = i18n;
  const number = new Intl.NumberFormat(locale);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  return (
    <Stack gap="md">
      <Card withBorder padding="md" data-testid="sso-report-providers">
        <Title order={3} size="h4" mb="xs">
          {t('ssoReport.providers')}
        </Title>
        {/* Columns sized by their words: a fixed split ran French headers into each other on
            a phone; a long provider name wraps anywhere instead. */}
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="100%">{t('ssoReport.provider')}</Table.Th>
              <Table.Th ta="end">{t('ssoReport.signIns')}</Table.Th>
              <Table.Th ta="end">{t('ssoReport.refused')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.providers.map((p) => (
              <Table.Tr key={`${p.providerId ?? ''}-${p.method}`}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Text size="sm" fw={500}>
                    {p.name ??
                      (p.method === 'password'
                        ? signInMethodWords('password', language)
                        : t('ssoReport.removedProvider'))}
                  </Text>
                  {p.method !== 'password' && (
                    <Text size="xs" c="dimmed">
                      {signInMethodWords(p.method, language)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="end">{number.format(p.signIns)}</Table.Td>
                <Table.Td ta="end">{number.format(p.failures)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>

      <Card withBorder padding="md" data-testid="sso-report-findings">
        <Title order={3} size="h4" mb={4}>
          {t('ssoReport.findings')}
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('ssoReport.findingsHelp')}
        </Text>
        {report.findings.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ssoReport.noFindings')}
          </Text>
        ) : (
          <Stack gap="xs">
            {report.findings.map((f) => (
              <div key={`${f.providerId ?? ''}-${f.kind}`}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {f.name ?? t('ssoReport.removedProvider')}
                  </Text>
                  <Badge variant="light" color={f.kind === 'sha1' ? 'red' : 'orange'}>
                    {t(f.kind === 'sha1' ? 'ssoReport.sha1' : 'ssoReport.clockSkew')}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {f.kind === 'sha1'
                    ? t('ssoReport.sha1Line', {
                        count: number.format(f.count),
                        accepted: number.format(f.signedIn),
                        refused: number.format(f.count - f.signedIn),
                        at: when.format(new Date(f.lastAt as string)),
                      })
                    : t(
                        (f.worstSeconds ?? 0) > 0 ? 'ssoReport.skewAhead' : 'ssoReport.skewBehind',
                        {
                          by: formatDuration(Math.abs(f.worstSeconds ?? 0) * 1000, i18n),
                          count: number.format(f.count),
                          at: when.format(new Date(f.lastAt as string)),
                        },
                      )}
                </Text>
              </div>
            ))}
          </Stack>
        )}
      </Card>

      <Card withBorder padding="md" data-testid="sso-report-reasons">
        <Title order={3} size="h4" mb="xs">
          {t('ssoReport.reasons')}
        </Title>
        {report.failures.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ssoReport.noRefusals')}
          </Text>
        ) : (
          <Stack gap={4}>
            {report.failures.map((f) => (
              <Group key={f.reason} justify="space-between" wrap="nowrap" gap="sm">
                <Text size="sm">{signInReasonWords(f.reason, language)}</Text>
                <Badge variant="light" color="red" style={{ flex: 'none' }}>
                  {number.format(f.count)}
                </Badge>
              </Group>
            ))}
          </Stack>
        )}
      </Card>

      <Card withBorder padding="md" data-testid="sso-report-break-glass">
        <Title order={3} size="h4" mb={4}>
          {t('ssoReport.breakGlass')}
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('ssoReport.breakGlassHelp')}
        </Text>
        {report.breakGlass.total === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ssoReport.noBreakGlass')}
          </Text>
        ) : (
          <Stack gap={4}>
            {report.breakGlass.items.map((b, i) => (
              <Text size="sm" key={i}>
                {t(b.ip ? 'ssoReport.breakGlassUse' : 'ssoReport.breakGlassUseNoIp', {
                  user: b.username ?? '—',
                  at: when.format(new Date(b.at as string)),
                  ip: b.ip ?? '',
                })}
              </Text>
            ))}
            <More shown={report.breakGlass.items.length} total={report.breakGlass.total} />
          </Stack>
        )}
      </Card>

      <Card withBorder padding="md" data-testid="sso-report-never">
        <Title order={3} size="h4" mb={4}>
          {t('ssoReport.never')}
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('ssoReport.neverHelp')}
        </Text>
        {report.neverSignedIn.total === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ssoReport.noNever')}
          </Text>
        ) : (
          <Stack gap={4}>
            {report.neverSignedIn.items.map((u) => (
              <Group key={u.id} justify="space-between" wrap="wrap" gap={4}>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {u.username}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('ssoReport.neverLine', {
                    role: t(`role.${u.role}` as MessageKey),
                    created: day.format(new Date(u.createdAt as string)),
                  })}
                </Text>
              </Group>
            ))}
            <More shown={report.neverSignedIn.items.length} total={report.neverSignedIn.total} />
          </Stack>
        )}
      </Card>
    </Stack>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  const { t } = useI18n();
  if (shown >= total) return null;
  return (
    <Text size="xs" c="dimmed">
      {t('ssoReport.more', { n: total - shown })}
    </Text>
  );
}
