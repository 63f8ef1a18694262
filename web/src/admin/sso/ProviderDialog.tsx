import { NativeSelect, Stack, Switch, Text, Title } from '@mantine/core';
import { useState, type ComponentType } from 'react';
import type { IdentityProvider, ProviderInput, Tenant } from '../../api/identityApi';
import { FormDialog } from '../../common/FormDialog';
import { useFormAction } from '../../common/forms';
import { useIdentityApi } from '../../common/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { CommandBlock } from '../common';
import { Field, type Named } from '../crud';
import type { KindFormProps } from './KindFields';
import { KINDS, type Kind, type KindSpec, type RuleDraft, type Settings } from './kinds';
import { LDAP, LdapForm } from './LdapForm';
import { MappingRules } from './MappingRules';
import { OIDC, OidcForm } from './OidcForm';
import { SAML, SamlForm } from './SamlForm';

const SPECS: Record<Kind, KindSpec> = { oidc: OIDC, saml: SAML, ldap: LDAP };
const FORMS: Record<Kind, ComponentType<KindFormProps>> = {
  oidc: OidcForm,
  saml: SamlForm,
  ldap: LdapForm,
};

/**
 * Adding or changing a provider: what every kind has (name, on or off, e-mail domains, the
 * tenant), the kind's own form, and the mapping rules.
 */
export function ProviderDialog({
  provider,
  tenants,
  branches,
  onClose,
  onSaved,
}: {
  provider: IdentityProvider | null;
  tenants: Tenant[] | null;
  branches: Named[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [kind, setKind] = useState<Kind>((provider?.kind as Kind) ?? 'oidc');
  const [name, setName] = useState(provider?.name ?? '');
  const [enabled, setEnabled] = useState(provider?.enabled ?? true);
  const [domains, setDomains] = useState((provider?.domains ?? []).join(', '));
  const [tenantId, setTenantId] = useState(provider?.tenantId ?? tenants?.[0]?.id ?? '');
  const [settings, setSettings] = useState<Settings>(() => {
    const spec = SPECS[(provider?.kind as Kind) ?? 'oidc'];
    const stored = (provider?.settings as Settings) ?? {};
    return { ...spec.defaults, ...(spec.load ? spec.load(stored) : stored) };
  });
  const [secret, setSecret] = useState('');
  // The provider as the hub last answered (its certificates change when an admin rotates them).
  const [saved, setSaved] = useState(provider);
  const [mode, setMode] = useState<string>(provider?.mappingMode ?? 'replace');
  const [defaultRole, setDefaultRole] = useState(provider?.defaultRole ?? '');
  const [rules, setRules] = useState<RuleDraft[]>(
    (provider?.rules ?? []).map((r) => ({
      claim: r.claim,
      value: r.value,
      role: r.role ?? 'viewer',
      branchIds: r.branchIds ?? [],
    })),
  );
  const chooseKind = (k: Kind) => {
    setKind(k);
    setSettings(SPECS[k].defaults);
  };
  const body = (): ProviderInput => {
    const spec = SPECS[kind];
    // Empty optional fields are left out: the hub's defaults apply.
    const shown = Object.fromEntries(
      Object.entries(settings).filter(
        ([key, v]) => v !== '' && spec.fields.some((f) => f.name === key),
      ),
    );
    return {
      kind,
      name: name.trim(),
      enabled,
      domains: domains
        .split(/[\s,]+/)
        .map((d) => d.trim())
        .filter(Boolean),
      settings: shown,
      mappingMode: mode,
      defaultRole: defaultRole || null,
      rules: rules.map((r) => ({
        claim: r.claim.trim(),
        value: r.value.trim(),
        role: r.role,
        branchIds: r.branchIds.length ? r.branchIds : null,
      })),
      ...(tenants && !provider ? { tenantId } : {}),
      ...(secret && spec.secret ? { [spec.secret.field]: secret } : {}),
    } as ProviderInput;
  };
  const form = useFormAction(
    () => (provider ? api.changeProvider(provider.id, body()) : api.createProvider(body())),
    () => {
      onSaved();
      onClose();
    },
  );
  const KindForm = FORMS[kind];
  return (
    <FormDialog
      title={provider ? t('admin.sso.edit', { name: provider.name }) : t('admin.sso.add')}
      form={form}
      onClose={onClose}
      size="xl"
      saveTestId="provider-save"
      testId="provider-dialog"
    >
      {!provider && (
        <NativeSelect
          label={t('admin.sso.kind')}
          description={t('admin.sso.kindHelp')}
          value={kind}
          onChange={(e) => chooseKind(e.currentTarget.value as Kind)}
          data={KINDS.map((k) => ({ value: k, label: t(`admin.sso.kind.${k}` as MessageKey) }))}
          data-testid="provider-kind"
        />
      )}
      {tenants && !provider && (
        <NativeSelect
          label={t('admin.tenant')}
          value={tenantId}
          onChange={(e) => setTenantId(e.currentTarget.value)}
          data={tenants.map((x) => ({ value: x.id, label: x.name }))}
          data-testid="provider-tenant"
        />
      )}
      <Field
        form={form}
        name="name"
        label={t('admin.sso.name')}
        description={t('admin.sso.nameHelp')}
        value={name}
        onChange={setName}
        data-testid="provider-name"
      />
      <Switch
        label={t('admin.sso.enabledLabel')}
        checked={enabled}
        onChange={(e) => setEnabled(e.currentTarget.checked)}
        data-testid="provider-enabled"
      />
      <Field
        form={form}
        name="domains"
        ltr
        label={t('admin.sso.domains')}
        description={t('admin.sso.domainsHelp')}
        value={domains}
        onChange={setDomains}
        data-testid="provider-domains"
      />
      <Title order={4} size="h5" mt="xs">
        {t(`admin.sso.kind.${kind}` as MessageKey)}
      </Title>
      {provider?.redirectUrl && kind === 'oidc' && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('admin.sso.redirectUrl')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('admin.sso.redirectUrlHelp')}
          </Text>
          <CommandBlock command={provider.redirectUrl} testId="provider-redirect-url" />
        </Stack>
      )}
      <KindForm
        form={form}
        settings={settings}
        onSetting={(field, v) => setSettings((s) => ({ ...s, [field]: v }))}
        secret={secret}
        onSecret={setSecret}
        hasSecret={provider?.hasSecret ?? false}
        provider={saved}
        onRotated={setSaved}
      />
      <MappingRules
        form={form}
        kind={kind}
        branches={branches}
        mode={mode}
        onMode={setMode}
        defaultRole={defaultRole}
        onDefaultRole={setDefaultRole}
        rules={rules}
        onRules={setRules}
      />
    </FormDialog>
  );
}
