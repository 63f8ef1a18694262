import { Badge, Button, Group } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { IdentityProvider } from '../api/identityApi';
import { useAdminApi, useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n, type MessageKey } from '../i18n';
import { AdminSection, AdminTable, useEditAndDelete, type Named } from './crud';
import { ProviderDialog } from './sso/ProviderDialog';
import { ProviderTestDialog } from './sso/ProviderTestDialog';
import { SignInRuleCard } from './sso/SignInRuleCard';
import { tenantColumn, useTenantScope } from './tenantScope';

/**
 * Admin → Sign-in providers (docs/sso.md): the list of the tenant's OpenID Connect, SAML and
 * LDAP providers; the provider dialog (sso/ProviderDialog.tsx, a form per kind), the LDAP test
 * (sso/ProviderTestDialog.tsx) and the rule that people sign in through the provider with the
 * break-glass accounts that keep a password (sso/SignInRuleCard.tsx).
 */
export function SignInProvidersAdmin() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const admin = useAdminApi();
  const tenants = useTenantScope();
  const load = useCallback(async () => {
    const [providers, branches, users] = await Promise.all([
      api.providers(),
      admin.branches(),
      api.users(),
    ]);
    return { providers, branches, users };
  }, [api, admin]);
  const page = useLoad(load);
  const [adding, setAdding] = useState(false);
  const [testing, setTesting] = useState<IdentityProvider | null>(null);
  const rows = useEditAndDelete<IdentityProvider>({
    testId: 'provider',
    deleteTitle: (name) => t('admin.sso.delete', { name }),
    deleteHelp: t('admin.sso.deleteHelp'),
    remove: (p) => api.deleteProvider(p.id),
    onChanged: page.reload,
  });
  const branches: Named[] = (page.data?.branches ?? []).map((b) => ({ id: b.id, name: b.name }));
  return (
    <AdminSection title={t('admin.sso.title')} help={t('admin.sso.help')} state={page}>
      <Group>
        <Button onClick={() => setAdding(true)} data-testid="provider-add">
          {t('admin.sso.add')}
        </Button>
      </Group>
      <AdminTable
        empty={t('admin.sso.none')}
        testId="provider-table"
        rowTestId="provider-row"
        rows={page.data?.providers ?? []}
        rowKey={(p) => p.id}
        columns={[
          { label: t('admin.sso.name'), cell: (p) => <bdi>{p.name}</bdi> },
          { label: t('admin.sso.kind'), cell: (p) => t(`admin.sso.kind.${p.kind}` as MessageKey) },
          {
            label: t('admin.sso.domains'),
            cell: (p) => (p.domains.length ? <bdi dir="ltr">{p.domains.join(', ')}</bdi> : '—'),
          },
          {
            label: t('admin.sso.state'),
            cell: (p) => (
              <Badge color={p.enabled ? 'teal' : 'gray'} variant="light">
                {p.enabled ? t('admin.sso.enabled') : t('admin.sso.off')}
              </Badge>
            ),
          },
          ...tenantColumn<IdentityProvider>(tenants, t('admin.tenant'), t('admin.everyTenant')),
        ]}
        actions={(p) => (
          <>
            {p.kind === 'ldap' && (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => setTesting(p)}
                data-testid="provider-test"
              >
                {t('admin.sso.test')}
              </Button>
            )}
            {rows.buttons(p)}
          </>
        )}
      />
      {(adding || rows.editing) && (
        <ProviderDialog
          key={rows.editing?.id ?? 'new'}
          provider={rows.editing}
          tenants={tenants}
          branches={branches}
          onClose={() => {
            setAdding(false);
            rows.stopEditing();
          }}
          onSaved={page.reload}
        />
      )}
      {testing && (
        <ProviderTestDialog
          provider={testing}
          branches={branches}
          onClose={() => setTesting(null)}
        />
      )}
      {rows.deleteDialog}
      {page.data && (
        <SignInRuleCard tenants={tenants} users={page.data.users} providers={page.data.providers} />
      )}
    </AdminSection>
  );
}
