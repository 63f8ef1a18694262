import { Alert, Badge, Button, Group } from '@mantine/core';
import { useCallback, useState } from 'react';
import { describeError } from '../common/describeError';
import type { IdentityProvider } from '../api/identityApi';
import { useAdminApi, useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n, type MessageKey } from '../i18n';
import { AdminSection, AdminTable, useEditAndDelete, type Named } from './crud';
import { ProviderDialog } from './sso/ProviderDialog';
import { ProviderTestDialog } from './sso/ProviderTestDialog';
import { SignInTestResult } from './sso/SignInTestResult';
import { SignInRuleCard } from './sso/SignInRuleCard';
import { tenantColumn, useTenantScope } from './tenantScope';

/**
 * Admin → Sign-in providers (docs/sso.md): the list of the tenant's OpenID Connect, SAML and
 * LDAP providers; the provider dialog (sso/ProviderDialog.tsx, a form per kind), the LDAP test
 * (sso/ProviderTestDialog.tsx), the OpenID Connect and SAML test — a sign-in in a new window
 * whose answer comes back here (`?testProvider=…&testResult=…`, sso/SignInTestResult.tsx) —
 * and the rule that people sign in through the provider with the
 * break-glass accounts that keep a password (sso/SignInRuleCard.tsx).
 */
/** The test whose answer this page was opened with (the provider sent the window back here). */
function testOfAddress(): { providerId: string; resultId: string } | null {
  const query = new URLSearchParams(window.location.search);
  const providerId = query.get('testProvider');
  const resultId = query.get('testResult');
  return providerId && resultId ? { providerId, resultId } : null;
}

export function SignInProvidersAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
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
  const [tested, setTested] = useState(testOfAddress);
  const [testError, setTestError] = useState<unknown>(null);
  /** OIDC and SAML: the provider's sign-in in a new window, opened on the click itself. */
  const startTest = async (p: IdentityProvider) => {
    setTestError(null);
    const opened = window.open('', '_blank');
    try {
      const { url } = await api.startTestSignIn(p.id);
      if (!opened) {
        window.location.assign(url);
        return;
      }
      opened.opener = null;
      opened.location.assign(url);
    } catch (err) {
      opened?.close();
      setTestError(err);
    }
  };
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
      {testError !== null && (
        <Alert color="red" withCloseButton onClose={() => setTestError(null)}>
          {describeError(testError, i18n)}
        </Alert>
      )}
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
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => (p.kind === 'ldap' ? setTesting(p) : void startTest(p))}
              data-testid="provider-test"
            >
              {t('admin.sso.test')}
            </Button>
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
      {tested && page.data && (
        <SignInTestResult
          providerId={tested.providerId}
          resultId={tested.resultId}
          providerName={page.data.providers.find((p) => p.id === tested.providerId)?.name ?? ''}
          branches={branches}
          onClose={() => {
            setTested(null);
            window.history.replaceState(null, '', window.location.pathname);
          }}
        />
      )}
      {rows.deleteDialog}
      {page.data && (
        <SignInRuleCard tenants={tenants} users={page.data.users} providers={page.data.providers} />
      )}
    </AdminSection>
  );
}
