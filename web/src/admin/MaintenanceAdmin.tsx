import { Button, Card, Group, NativeSelect, Stack, Table, TextInput } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { FormError, LoadState, SectionHeader } from './common';
import { errorField, useAdminApi, useLoad } from './useLoad';

/** Maintenance windows: one-off ones are made here; weekly ones (API only) are listed. */
export function MaintenanceAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useAdminApi();
  const load = useCallback(async () => {
    const [windows, branches] = await Promise.all([api.maintenance(), api.branches()]);
    return { windows, branches };
  }, [api]);
  const data = useLoad(load);
  const when = (at: string | null) => formatAbsolute(at, i18n.locale) ?? t('common.none');
  return (
    <>
      <SectionHeader title={t('admin.maintenance.title')} help={t('admin.maintenance.help')} />
      <LoadState error={data.error} loading={data.data === null}>
        <NewWindow branches={data.data?.branches ?? []} onCreated={data.reload} />
        <Table verticalSpacing="xs" data-testid="maintenance-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.alerts.scope')}</Table.Th>
              <Table.Th>{t('admin.maintenance.reason')}</Table.Th>
              <Table.Th>{t('range.from')}</Table.Th>
              <Table.Th>{t('range.to')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data.data?.windows ?? []).map((w) => (
              <Table.Tr key={w.id} data-testid="maintenance-row">
                <Table.Td>
                  {data.data?.branches.find((b) => b.id === w.scopeId)?.name ??
                    t(`admin.scope.${w.scope}`)}
                </Table.Td>
                <Table.Td>{w.reason}</Table.Td>
                <Table.Td>{w.weekly ? t('admin.maintenance.weekly') : when(w.startsAt)}</Table.Td>
                <Table.Td>{w.weekly ? t('common.none') : when(w.endsAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void api.deleteMaintenance(w.id).then(data.reload, data.reload)}
                  >
                    {t('admin.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </LoadState>
    </>
  );
}

function NewWindow({
  branches,
  onCreated,
}: {
  branches: { id: string; name: string }[];
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const [reason, setReason] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const field = errorField(error);
  const branch = branchId || branches[0]?.id || '';
  // datetime-local is the browser's local time; the hub wants ISO 8601 with an offset.
  const iso = (local: string) => (local ? new Date(local).toISOString() : '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.createMaintenance({
        scope: 'branch',
        scopeId: branch,
        reason,
        startsAt: iso(startsAt),
        endsAt: iso(endsAt),
      });
      setReason('');
      setError(null);
      onCreated();
    } catch (cause) {
      setError(cause);
    }
  };
  if (branches.length === 0) return null;
  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)}>
      <Stack gap="xs">
        <Group align="flex-end">
          <NativeSelect
            label={t('admin.agents.branch')}
            value={branch}
            onChange={(e) => setBranchId(e.currentTarget.value)}
            data={branches.map((b) => ({ value: b.id, label: b.name }))}
          />
          <TextInput
            label={t('admin.maintenance.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <TextInput
            type="datetime-local"
            label={t('range.from')}
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.currentTarget.value)}
            error={field === 'startsAt' || undefined}
          />
          <TextInput
            type="datetime-local"
            label={t('range.to')}
            required
            value={endsAt}
            onChange={(e) => setEndsAt(e.currentTarget.value)}
            error={field === 'endsAt' || undefined}
          />
          <Button type="submit">{t('admin.maintenance.create')}</Button>
        </Group>
        <FormError error={error} />
      </Stack>
    </Card>
  );
}
