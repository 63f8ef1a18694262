import { Button, Card, Group, NativeSelect, Stack, Table, TextInput } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import type { Branch } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';
import type { Criticality } from './adminApi';
import { FormError, LoadState, SectionHeader } from './common';
import { errorField, useAdminApi, useLoad } from './useLoad';

const CRITICALITIES: Criticality[] = ['low', 'normal', 'high', 'critical'];

export function BranchesAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(() => api.branches(), [api]);
  const branches = useLoad(load);
  return (
    <>
      <SectionHeader title={t('admin.branches.title')} help={t('admin.branches.help')} />
      <NewBranch onCreated={branches.reload} />
      <LoadState error={branches.error} loading={branches.data === null}>
        <Table data-testid="branch-table" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.slug')}</Table.Th>
              <Table.Th>{t('admin.name')}</Table.Th>
              <Table.Th>{t('admin.tenant')}</Table.Th>
              <Table.Th>{t('admin.branches.alerting')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(branches.data ?? []).map((b) => (
              <Table.Tr key={b.id} data-testid="branch-admin-row" data-slug={b.slug}>
                <Table.Td dir="ltr">{b.slug}</Table.Td>
                <Table.Td>{b.name}</Table.Td>
                <Table.Td dir="ltr">{b.tenant}</Table.Td>
                <Table.Td>
                  <BranchAlerting branch={b} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </LoadState>
    </>
  );
}

function NewBranch({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const field = errorField(error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.createBranch({ slug, ...(name ? { name } : {}) });
      setSlug('');
      setName('');
      setError(null);
      onCreated();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)} data-testid="new-branch">
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label={t('admin.slug')}
            dir="ltr"
            required
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            error={field === 'slug' ? true : undefined}
            data-testid="branch-slug"
          />
          <TextInput
            label={t('admin.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={field === 'name' ? true : undefined}
            data-testid="branch-name"
          />
          <Button type="submit" data-testid="branch-create">
            {t('admin.branches.create')}
          </Button>
        </Group>
        <FormError error={error} />
      </Stack>
    </Card>
  );
}

/** Criticality and time zone: written by PUT only, the hub has no GET for them yet. */
function BranchAlerting({ branch }: { branch: Branch }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [criticality, setCriticality] = useState<Criticality>('normal');
  const [timeZone, setTimeZone] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    try {
      await api.setBranchAlerting(branch.id, {
        criticality,
        ...(timeZone ? { timeZone } : {}),
      });
      setError(null);
      setSaved(true);
    } catch (cause) {
      setError(cause);
      setSaved(false);
    }
  };
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
        <Button size="compact-sm" variant="light" onClick={() => void save()}>
          {saved ? t('admin.saved') : t('admin.save')}
        </Button>
      </Group>
      <FormError error={error} />
    </Stack>
  );
}
