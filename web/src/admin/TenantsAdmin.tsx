import { Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';
import type { Tenant } from '../api/identityApi';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { FormDialog } from '../common/FormDialog';
import { useFormAction } from '../common/forms';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { AdminSection, AdminTable, Field, FormCard, RowButton, useDraft } from './crud';
import { dependentsOf } from './inUse';
import { RowCards } from './RowCards';

/** Tenants (global admins): add, rename, and delete one that holds nothing any more. */
export function TenantsAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useIdentityApi();
  const load = useCallback(() => api.tenants(), [api]);
  const tenants = useLoad(load);
  const [renaming, setRenaming] = useState<Tenant | null>(null);
  const [deleting, setDeleting] = useState<Tenant | null>(null);
  const phone = useMediaQuery('(max-width: 48em)');
  const draft = useDraft({ slug: '', name: '' });
  const form = useFormAction(
    () => api.createTenant(draft.values),
    () => {
      draft.reset('slug', 'name');
      tenants.reload();
    },
  );
  const actions = (tenant: Tenant) => (
    <>
      <RowButton onClick={() => setRenaming(tenant)} testId="tenant-rename">
        {t('admin.tenants.rename.short')}
      </RowButton>
      <RowButton color="red" onClick={() => setDeleting(tenant)} testId="tenant-delete">
        {t('admin.delete')}
      </RowButton>
    </>
  );
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
          actions={actions}
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
          actions={actions}
        />
      )}
      {renaming && (
        <RenameTenant
          key={renaming.id}
          tenant={renaming}
          onClose={() => setRenaming(null)}
          onSaved={tenants.reload}
        />
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title={t('admin.tenants.delete', { name: deleting?.name ?? '' })}
        confirmLabel={t('admin.delete')}
        onConfirm={async () => {
          await api.deleteTenant(deleting!.id);
          tenants.reload();
        }}
        onClose={() => setDeleting(null)}
        describe={(error) => {
          if (error instanceof ApiError && (error.details as { default?: boolean })?.default) {
            return t('admin.tenants.isDefault');
          }
          const what = dependentsOf(error, i18n);
          return what && t('admin.tenants.inUse', { what });
        }}
        testId="tenant-delete-dialog"
      >
        {t('admin.tenants.deleteHelp')}
      </ConfirmDialog>
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
