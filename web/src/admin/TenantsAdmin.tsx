import { useCallback } from 'react';
import { useI18n } from '../i18n';
import { AdminSection, AdminTable, FormCard, useDraft } from './crud';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { useFormAction } from '../common/forms';

export function TenantsAdmin() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const load = useCallback(() => api.tenants(), [api]);
  const tenants = useLoad(load);
  const draft = useDraft({ slug: '', name: '' });
  const form = useFormAction(
    () => api.createTenant(draft.values),
    () => {
      draft.reset('slug', 'name');
      tenants.reload();
    },
  );
  return (
    <AdminSection title={t('admin.tenants.title')} help={t('admin.tenants.help')} state={tenants}>
      <FormCard form={form} submitLabel={t('admin.tenants.create')}>
        {draft.field(form, 'slug', t('admin.slug'), { ltr: true, required: true })}
        {draft.field(form, 'name', t('admin.name'), { required: true })}
      </FormCard>
      <AdminTable
        rows={tenants.data ?? []}
        rowKey={(tenant) => tenant.id}
        columns={[
          { label: t('admin.slug'), ltr: true, cell: (tenant) => tenant.slug },
          { label: t('admin.name'), cell: (tenant) => tenant.name },
        ]}
      />
    </AdminSection>
  );
}
