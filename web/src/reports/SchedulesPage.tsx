import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { LANGUAGES } from '@branchwatch/api';
import { useApi } from '../api/ApiContext';
import type { ApiAnswer, ApiBody } from '../api/types';
import { useTenantScope } from '../admin/tenantScope';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useDirectory } from '../desk/useDirectory';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { may } from '../session/access';
import { ReportsTabs } from './ReportsTabs';
import { ScheduleForm } from './ScheduleForm';
import { deliveryLines, momentParts, recurrenceText, type ScheduledReport } from './scheduleWords';

type Sent = ApiAnswer<'/api/v1/reports/schedules/{id}/send', 'post'>;
type Patch = ApiBody<'/api/v1/reports/schedules/{id}', 'patch'>;

/**
 * Reports → Scheduled (docs/reports.md "Scheduled reports"): the tenant's reports that go out by
 * mail, when they go next and how the last ones went, with "send now" to try one.
 */
export function SchedulesPage() {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const tenants = useTenantScope();
  const [tenant, setTenant] = useState('');
  const directory = useDirectory();
  const manage = directory.me !== null && may(directory.me, 'sla.manage');
  const load = useCallback(
    () =>
      api
        .send<ApiAnswer<'/api/v1/reports/schedules', 'get'>>('GET', '/api/v1/reports/schedules')
        .then((a) => a.items),
    [api],
  );
  const { data, error, reload } = useLoad(load);
  const [editing, setEditing] = useState<ScheduledReport | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ScheduledReport | null>(null);
  const [notice, setNotice] = useState<{ id: string; text: string; error: boolean } | null>(null);
  // Mails wait in the hub's outbox a moment: read again until none of the latest is waiting.
  const waiting = (data ?? []).some((s) => (s.lastDelivery?.waiting ?? 0) > 0);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(reload, 2000);
    return () => clearTimeout(timer);
  }, [waiting, data, reload]);
  const shown = (data ?? []).filter((s) => !tenant || s.tenantId === tenant);
  const needTenant = tenants !== null && !tenant;

  const sendNow = async (s: ScheduledReport) => {
    try {
      const sent = await api.send<Sent>('POST', `/api/v1/reports/schedules/${s.id}/send`);
      const from = new Intl.DateTimeFormat(i18n.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }).format(new Date(sent.from));
      setNotice({ id: s.id, text: t('schedules.sentNow', { n: sent.queued, from }), error: false });
      reload();
    } catch (cause) {
      setNotice({ id: s.id, text: describeError(cause, i18n), error: true });
    }
  };
  const change = async (s: ScheduledReport, patch: Patch) => {
    try {
      await api.send('PATCH', `/api/v1/reports/schedules/${s.id}`, patch);
      reload();
    } catch (cause) {
      setNotice({ id: s.id, text: describeError(cause, i18n), error: true });
    }
  };

  return (
    <Stack gap="md" data-testid="schedules-page">
      <ReportsTabs current="scheduled" />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3">
            {t('schedules.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('schedules.intro')}
          </Text>
        </div>
        {manage && !needTenant && (
          <Button onClick={() => setEditing('new')} data-testid="schedules-add">
            {t('schedules.add')}
          </Button>
        )}
      </Group>
      {tenants !== null && (
        <NativeSelect
          label={t('reports.tenant')}
          maw={360}
          value={tenant}
          onChange={(e) => setTenant(e.currentTarget.value)}
          data={[
            { value: '', label: t('reports.allTenants') },
            ...tenants.map((x) => ({ value: x.id, label: x.name })),
          ]}
          data-testid="schedules-tenant"
        />
      )}
      {error !== null && (
        <Alert color="red" title={t('schedules.loadFailed')}>
          {describeError(error, i18n)}
        </Alert>
      )}
      {data === null && error === null && <Loader size="sm" />}
      {data !== null && shown.length === 0 && (
        <Text c="dimmed" data-testid="schedules-empty">
          {needTenant && manage ? t('schedules.tenantFirst') : t('schedules.empty')}
        </Text>
      )}
      {shown.map((s) => (
        <ScheduleCard
          key={s.id}
          schedule={s}
          branchName={directory.branches.find((b) => b.id === s.branchId)?.name ?? null}
          tenantName={tenants?.find((x) => x.id === s.tenantId)?.name ?? null}
          manage={manage}
          notice={notice?.id === s.id ? notice : null}
          onSend={() => void sendNow(s)}
          onEdit={() => setEditing(s)}
          onPause={() => void change(s, { enabled: !s.enabled })}
          onDelete={() => setDeleting(s)}
        />
      ))}
      {editing !== null && (
        <ScheduleForm
          schedule={editing === 'new' ? null : editing}
          tenantId={tenant || null}
          branches={directory.branches.filter(
            (b) =>
              tenants === null ||
              b.tenant ===
                tenants.find((x) => x.id === (editing === 'new' ? tenant : editing.tenantId))?.slug,
          )}
          languages={LANGUAGES}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title={t('schedules.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('schedules.delete')}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.send('DELETE', `/api/v1/reports/schedules/${deleting!.id}`);
          reload();
        }}
        testId="schedules-delete-dialog"
      >
        {t('schedules.deleteBody')}
      </ConfirmDialog>
    </Stack>
  );
}

function ScheduleCard({
  schedule: s,
  branchName,
  tenantName,
  manage,
  notice,
  onSend,
  onEdit,
  onPause,
  onDelete,
}: {
  schedule: ScheduledReport;
  branchName: string | null;
  tenantName: string | null;
  manage: boolean;
  notice: { text: string; error: boolean } | null;
  onSend: () => void;
  onEdit: () => void;
  onPause: () => void;
  onDelete: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const list = new Intl.ListFormat(i18n.locale, { type: 'conjunction' });
  const formats = list.format(s.formats.map((f) => t(`schedules.format.${f}` as MessageKey)));
  const failed = s.lastDelivery !== null && s.lastDelivery.failed.length > 0;
  return (
    <Card withBorder padding="md" data-testid="schedule-card">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="schedule-name">
              {s.name}
            </Text>
            <Text size="sm">
              {t('schedules.report')}
              {tenantName ? ` · ${tenantName}` : ''}
            </Text>
          </div>
          <Badge color={s.enabled ? 'green' : 'gray'} variant="light" style={{ flexShrink: 0 }}>
            {t(s.enabled ? 'schedules.active' : 'schedules.paused')}
          </Badge>
        </Group>
        <Text size="sm" data-testid="schedule-recurrence">
          {recurrenceText(s, i18n)}
        </Text>
        <Text size="sm" c="dimmed">
          {t(`schedules.period.${s.frequency}` as MessageKey)}
        </Text>
        <Text size="sm">
          {t('schedules.branchLabel', { branch: branchName ?? t('schedules.allBranches') })}
        </Text>
        <Text size="sm">{t('schedules.formatsLabel', { formats })}</Text>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <bdi>{t('schedules.recipientsLabel', { recipients: s.recipients.join(', ') })}</bdi>
        </Text>
        <Text size="sm" data-testid="schedule-next">
          {s.enabled
            ? t('schedules.next', momentParts(s.nextAt, s.timeZone, i18n))
            : t('schedules.nextPaused')}
        </Text>
        <Text size="sm" data-testid="schedule-last">
          {s.lastDelivery !== null
            ? t('schedules.last', momentParts(s.lastDelivery.at, s.timeZone, i18n))
            : s.lastSentAt !== null
              ? t('schedules.last', momentParts(s.lastSentAt, s.timeZone, i18n))
              : t('schedules.never')}
        </Text>
        {s.lastDelivery !== null && (
          <Stack gap={2} data-testid="schedule-delivery">
            {deliveryLines(s, i18n).map((line, i) => (
              <Text
                key={i}
                size="sm"
                c={i > 0 && failed ? 'red' : undefined}
                style={{ overflowWrap: 'anywhere' }}
              >
                {line}
              </Text>
            ))}
          </Stack>
        )}
        {notice && (
          <Alert color={notice.error ? 'red' : 'green'} data-testid="schedule-notice">
            {notice.text}
          </Alert>
        )}
        {manage && (
          <Group gap="xs" mt={4}>
            <Button size="xs" onClick={onSend} data-testid="schedule-send">
              {t('schedules.sendNow')}
            </Button>
            <Button size="xs" variant="default" onClick={onEdit} data-testid="schedule-edit">
              {t('schedules.edit')}
            </Button>
            <Button size="xs" variant="default" onClick={onPause} data-testid="schedule-pause">
              {t(s.enabled ? 'schedules.pause' : 'schedules.resume')}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={onDelete}
              data-testid="schedule-delete"
            >
              {t('schedules.delete')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
