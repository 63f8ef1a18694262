import { Button, Card, Group, Stack, Table, TextInput } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { FormError, LoadState, SectionHeader } from './common';
import { useIdentityApi, useLoad } from './useLoad';

export function TenantsAdmin() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const load = useCallback(() => api.tenants(), [api]);
  const tenants = useLoad(load);
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.createTenant({ slug, name });
      setSlug('');
      setName('');
      setError(null);
      tenants.reload();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <>
      <SectionHeader title={t('admin.tenants.title')} help={t('admin.tenants.help')} />
      <LoadState error={tenants.error} loading={tenants.data === null}>
        <Card withBorder component="form" onSubmit={(e) => void submit(e)}>
          <Stack gap="xs">
            <Group align="flex-end">
              <TextInput
                label={t('admin.slug')}
                dir="ltr"
                required
                value={slug}
                onChange={(e) => setSlug(e.currentTarget.value)}
              />
              <TextInput
                label={t('admin.name')}
                required
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              <Button type="submit">{t('admin.tenants.create')}</Button>
            </Group>
            <FormError error={error} />
          </Stack>
        </Card>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.slug')}</Table.Th>
              <Table.Th>{t('admin.name')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(tenants.data ?? []).map((tenant) => (
              <Table.Tr key={tenant.id}>
                <Table.Td dir="ltr">{tenant.slug}</Table.Td>
                <Table.Td>{tenant.name}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </LoadState>
    </>
  );
}
