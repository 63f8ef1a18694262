import { Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { PHONE } from '../common/media';
import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';
import type { Tenant } from '../api/identityApi';
import { FormDialog } from '../common/FormDialog';
import { useFormAction } from '../common/forms';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { AdminSection, AdminTable, Field, FormCard, useDraft, useEditAndDelete } from './crud';
import { dependentsOf } from './inUse';
import { RowCards } from './RowCards';

/** Tenants (global admins): add, rename, and delete one that holds nothing any more. */
export function TenantsAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useIdentityApi();
  const load = useCallback(() => api.tenants(), [api]);
  const tenants = useLoad(load);
  const phone = useMediaQuery(PHONE);
  const draft = useDraft({ slug: '', name: '' });
  const form = useFormAction(
    () => api.createTenant(draft.values),
    () => {
      draft.reset('slug', 'name');
      tenants.reload();
    },
  );
  const rows = useEditAndDelete<Tenant>({
    testId: 'tenant',
    deleteTitle: (name) => t('admin.tenants.delete', { name }),
    deleteHelp: t('admin.tenants.deleteHelp'),
    remove: (tenant) => api.deleteTenant(tenant.id),
    onChanged: tenants.reload,
    describe: (error) => {
      if (error instanceof ApiError && (error.details as { default?: boolean })?.default) {
        return t('admin.tenants.isDefault');
      }
      const what = dependentsOf(error, i18n);
      return what && t('admin.tenants.inUse', { what });
    },
    editLabel: t('admin.tenants.rename.short'),
    editTestId: 'tenant-rename',
  });
  return (
    <AdminSection title={t('admin.tenants.title')} help={t('admin.tenants.help')} state={tenants}>
      <FormCard form={form} submitLabel={t('admin.tenants.create')}>
        {draft.field(form, 'slug', t('admin.slug'), { ltr: true, required: true })}
        {draft.field(form, 'name', t('admin.name'), { required: true })}
      </FormCard>
      {phone ? (
        <RowCards
          testId="tenant-table"
          rowTestId="tenant-row"
          rows={tenants.data ?? []}
          rowKey={(tenant) => tenant.id}
          rowAttributes={(tenant) => ({ 'data-slug': tenant.slug })}
          content={(tenant) => (
            <Stack gap={0}>
              <Text size="sm" fw={500}>
                {tenant.name}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                <bdi dir="ltr">{tenant.slug}</bdi>
              </Text>
            </Stack>
          )}
          actions={rows.buttons}
        />
      ) : (
        <AdminTable
          testId="tenant-table"
          rowTestId="tenant-row"
          rows={tenants.data ?? []}
          rowKey={(tenant) => tenant.id}
          rowAttributes={(tenant) => ({ 'data-slug': tenant.slug })}
          columns={[
            { label: t('admin.name'), cell: (tenant) => tenant.name },
            { label: t('admin.slug'), ltr: true, cell: (tenant) => tenant.slug },
          ]}
          actions={rows.buttons}
        />
      )}
      {rows.editing && (
        <RenameTenant
          key={rows.editing.id}
          tenant={rows.editing}
          onClose={rows.stopEditing}
          onSaved={tenants.reload}
        />
      )}
      {rows.deleteDialog}
    </AdminSection>
  );
}

function RenameTenant({
  tenant,
  onClose,
  onSaved,
}: {
  tenant: Tenant;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [name, setName] = useState(tenant.name);
  const form = useFormAction(
    () => api.renameTenant(tenant.id, name),
    () => {
      onSaved();
      onClose();
    },
  );
  return (
    <FormDialog
      title={t('admin.tenants.rename', { name: tenant.name })}
      form={form}
      onClose={onClose}
      saveTestId="tenant-save"
    >
      <Text size="xs" c="dimmed">
        {t('admin.tenants.slugFixed', { slug: tenant.slug })}
      </Text>
      <Field form={form} name="name" label={t('admin.name')} value={name} onChange={setName} />
    </FormDialog>
  );
}
