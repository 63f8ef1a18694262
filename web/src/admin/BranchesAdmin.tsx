import { Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { Branch } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';
import type { Criticality } from '../api/adminApi';
import { AdminSection, AdminTable, FormCard, useDraft } from './crud';
import { useAdminApi, useLoad } from '../common/useLoad';
import { useFormAction } from '../common/forms';
import { FormError } from '../common/forms';

const CRITICALITIES: Criticality[] = ['low', 'normal', 'high', 'critical'];

export function BranchesAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(() => api.branches(), [api]);
  const branches = useLoad(load);
  return (
    <AdminSection
      title={t('admin.branches.title')}
      help={t('admin.branches.help')}
      state={branches}
    >
      <NewBranch onCreated={branches.reload} />
      <AdminTable
        testId="branch-table"
        rowTestId="branch-admin-row"
        rows={branches.data ?? []}
        rowKey={(b) => b.id}
        rowAttributes={(b) => ({ 'data-slug': b.slug })}
        columns={[
          { label: t('admin.slug'), ltr: true, cell: (b) => b.slug },
          { label: t('admin.name'), cell: (b) => b.name },
          { label: t('admin.tenant'), ltr: true, cell: (b) => b.tenant },
          { label: t('admin.branches.alerting'), cell: (b) => <BranchAlerting branch={b} /> },
        ]}
      />
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

/** Criticality and time zone: written by PUT only, the hub has no GET for them yet. */
function BranchAlerting({ branch }: { branch: Branch }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [criticality, setCriticality] = useState<Criticality>('normal');
  const [timeZone, setTimeZone] = useState('');
  const [saved, setSaved] = useState(false);
  const form = useFormAction(
    async () => {
      setSaved(false);
      await api.setBranchAlerting(branch.id, { criticality, ...(timeZone ? { timeZone } : {}) });
    },
    () => setSaved(true),
  );
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <NativeSelect
          size="xs"
          aria-label={t('admin.branches.criticality')}
          value={criticality}
          onChange={(e) => setCriticality(e.currentTarget.value as Criticality)}
          data={CRITICALITIES.map((c) => ({
            value: c,
            label: t(`criticality.${c}` as MessageKey),
          }))}
        />
        <TextInput
          size="xs"
          dir="ltr"
          aria-label={t('admin.branches.timeZone')}
          placeholder={t('admin.branches.timeZonePlaceholder')}
          value={timeZone}
          onChange={(e) => setTimeZone(e.currentTarget.value)}
        />
        <Button size="compact-sm" variant="light" onClick={() => form.submit()}>
          {saved ? t('admin.saved') : t('admin.save')}
        </Button>
      </Group>
      <FormError error={form.error} />
    </Stack>
  );
}
