import { Alert } from '@mantine/core';
import { useState } from 'react';
import type { AdminApi } from '../api/adminApi';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { AdminSection, AdminTable, BranchSelect, FormCard, useDraft, type Named } from './crud';
import { useAdminApi, useLoadAll } from '../common/useLoad';
import { useFormAction } from '../common/forms';

/** Maintenance windows: one-off ones are made here; weekly ones (API only) are listed. */
export function MaintenanceAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useAdminApi();
  const data = useLoadAll(api, windowsAndBranches);
  const when = (at: string | null) => formatAbsolute(at, i18n.locale) ?? t('common.none');
  return (
    <AdminSection
      title={t('admin.maintenance.title')}
      help={t('admin.maintenance.help')}
      state={data}
    >
      <NewWindow branches={data.data?.branches ?? []} onCreated={data.reload} />
      <AdminTable
        testId="maintenance-table"
        rowTestId="maintenance-row"
        rows={data.data?.windows ?? []}
        rowKey={(w) => w.id}
        columns={[
          {
            label: t('admin.alerts.scope'),
            cell: (w) =>
              data.data?.branches.find((b) => b.id === w.scopeId)?.name ??
              t(`admin.scope.${w.scope}`),
          },
          { label: t('admin.maintenance.reason'), cell: (w) => w.reason },
          {
            label: t('range.from'),
            cell: (w) => (w.weekly ? t('admin.maintenance.weekly') : when(w.startsAt)),
          },
          { label: t('range.to'), cell: (w) => (w.weekly ? t('common.none') : when(w.endsAt)) },
        ]}
        onRemove={(w) => api.deleteMaintenance(w.id)}
        onChanged={data.reload}
      />
    </AdminSection>
  );
}

// datetime-local is the browser's local time; the hub wants ISO 8601 with an offset.
const iso = (local: string) => (local ? new Date(local).toISOString() : '');

const windowsAndBranches = (api: AdminApi) => ({
  windows: api.maintenance(),
  branches: api.branches(),
});

function NewWindow({ branches, onCreated }: { branches: Named[]; onCreated: () => void }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const draft = useDraft({ reason: '', startsAt: '', endsAt: '' });
  // "Now" as the form opened: minutes of drift do not matter for a window wholly in the past.
  const [now] = useState(() => Date.now());
  const { reason, startsAt, endsAt } = draft.values;
  const form = useFormAction(
    () =>
      api.createMaintenance({
        scope: 'branch',
        scopeId: branchId || branches[0]?.id || '',
        reason,
        startsAt: iso(startsAt),
        endsAt: iso(endsAt),
      }),
    () => {
      draft.reset('reason');
      onCreated();
    },
  );
  if (branches.length === 0) return null;
  // The fields are in this browser's clock; say which, as the branch may keep another.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const ends = endsAt ? new Date(endsAt).getTime() : NaN;
  const past = ends < now;
  const warning = past ? (
    <Alert color="yellow" data-testid="maintenance-past">
      {t('admin.maintenance.past')}
    </Alert>
  ) : undefined;
  return (
    <FormCard form={form} submitLabel={t('admin.maintenance.create')} below={warning}>
      <BranchSelect branches={branches} value={branchId} onChange={setBranchId} />
      {draft.field(form, 'reason', t('admin.maintenance.reason'))}
      {draft.field(form, 'startsAt', t('range.from'), {
        type: 'datetime-local',
        required: true,
        description: t('admin.maintenance.zone', { zone }),
        testId: 'maintenance-from',
      })}
      {draft.field(form, 'endsAt', t('range.to'), {
        type: 'datetime-local',
        required: true,
        description: t('admin.maintenance.zone', { zone }),
        testId: 'maintenance-to',
      })}
    </FormCard>
  );
}
