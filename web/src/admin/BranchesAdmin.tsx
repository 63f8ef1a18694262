import { Badge, Group, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { PHONE } from '../common/media';
import { useCallback } from 'react';
import type { ApiError } from '../api/client';
import type { Branch } from '../api/types';
import { useFormAction } from '../common/forms';
import { useAdminApi, useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { BranchForm } from './BranchForm';
import { AdminSection, AdminTable, FormCard, useDraft, useEditAndDelete } from './crud';
import { dependentsOf } from './inUse';
import { RowCards } from './RowCards';

const REMEDIES = ['agents', 'openTickets', 'scopedUsers'] as const;

const CRITICALITY_COLOR: Record<Branch['criticality'], string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  critical: 'red',
};

/** Branches: add one, and per branch its place, clock and weight; edit or delete it. */
export function BranchesAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useAdminApi();
  const load = useCallback(() => api.branches(), [api]);
  const branches = useLoad(load);
  const phone = useMediaQuery(PHONE);
  // Coordinates keep Latin digits in every language, as map apps show them.
  const degrees = new Intl.NumberFormat('en', { maximumFractionDigits: 4 });

  const nameCell = (b: Branch) => (
    <Stack gap={0}>
      <Text size="sm" fw={500}>
        {b.name}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        <bdi dir="ltr">
          {b.tenant}/{b.slug}
        </bdi>
      </Text>
    </Stack>
  );
  const locationCell = (b: Branch) => (
    <Stack gap={0} maw={280}>
      {b.address !== null && (
        <Text size="sm" lineClamp={2}>
          {b.address}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {b.latitude !== null && b.longitude !== null ? (
          <bdi dir="ltr">{`${degrees.format(b.latitude)}, ${degrees.format(b.longitude)}`}</bdi>
        ) : (
          t(b.address === null ? 'admin.branches.noLocation' : 'admin.branches.noCoordinates')
        )}
      </Text>
    </Stack>
  );
  const criticalityCell = (b: Branch) => (
    <Badge variant="light" color={CRITICALITY_COLOR[b.criticality]}>
      {t(`criticality.${b.criticality}`)}
    </Badge>
  );

  const rows = useEditAndDelete<Branch>({
    testId: 'branch',
    deleteTitle: (name) => t('admin.branches.delete', { name }),
    deleteHelp: t('admin.branches.deleteHelp'),
    remove: (b) => api.deleteBranch(b.id),
    onChanged: branches.reload,
    describe: (error) => {
      const what = dependentsOf(error, i18n);
      if (what === null) return null;
      const counts = (error as ApiError).details as Record<string, number>;
      const remedies = REMEDIES.filter((kind) => (counts[kind] ?? 0) > 0).map((kind) =>
        t(`admin.branches.remedy.${kind}`),
      );
      return [t('admin.branches.inUse', { what }), ...remedies].join('\n');
    },
  });
  return (
    <AdminSection
      title={t('admin.branches.title')}
      help={t('admin.branches.help')}
      state={branches}
    >
      <NewBranch onCreated={branches.reload} />
      {phone ? (
        <RowCards
          testId="branch-table"
          rowTestId="branch-admin-row"
          rows={branches.data ?? []}
          rowKey={(b) => b.id}
          rowAttributes={(b) => ({ 'data-slug': b.slug })}
          content={(b) => (
            <>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                {nameCell(b)}
                {criticalityCell(b)}
              </Group>
              {locationCell(b)}
              <Text size="xs" c="dimmed">
                <bdi dir="ltr">{b.timeZone}</bdi>
              </Text>
            </>
          )}
          actions={rows.buttons}
        />
      ) : (
        <AdminTable
          testId="branch-table"
          rowTestId="branch-admin-row"
          rows={branches.data ?? []}
          rowKey={(b) => b.id}
          rowAttributes={(b) => ({ 'data-slug': b.slug })}
          columns={[
            { label: t('admin.name'), cell: nameCell },
            { label: t('admin.branches.location'), cell: locationCell },
            { label: t('admin.branches.timeZone'), ltr: true, cell: (b) => b.timeZone },
            { label: t('admin.branches.criticality'), cell: criticalityCell },
          ]}
          actions={rows.buttons}
        />
      )}
      {rows.editing && (
        <BranchForm
          key={rows.editing.id}
          branch={rows.editing}
          onClose={rows.stopEditing}
          onSaved={branches.reload}
        />
      )}
      {rows.deleteDialog}
    </AdminSection>
  );
}

function NewBranch({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const draft = useDraft({ slug: '', name: '' });
  const { slug, name } = draft.values;
  const form = useFormAction(
    () => api.createBranch({ slug, ...(name ? { name } : {}) }),
    () => {
      draft.reset('slug', 'name');
      onCreated();
    },
  );
  return (
    <FormCard
      form={form}
      submitLabel={t('admin.branches.create')}
      testId="new-branch"
      submitTestId="branch-create"
    >
      {draft.field(form, 'slug', t('admin.slug'), {
        ltr: true,
        required: true,
        testId: 'branch-slug',
      })}
      {draft.field(form, 'name', t('admin.name'), { testId: 'branch-name' })}
    </FormCard>
  );
}
