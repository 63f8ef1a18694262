import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  NativeSelect,
  PasswordInput,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import type {
  AdminUser,
  IdentityProvider,
  ProviderInput,
  ProviderTest,
  SignInSettings,
  Tenant,
} from '../api/identityApi';
import { FormDialog } from '../common/FormDialog';
import { FormError, useFormAction, type FormAction } from '../common/forms';
import { useAdminApi, useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n, type MessageKey } from '../i18n';
import { LoadState } from './common';
import { AdminSection, AdminTable, Field, useEditAndDelete, type Named } from './crud';
import { tenantColumn, useTenantScope } from './tenantScope';

type Kind = 'oidc' | 'saml' | 'ldap';
const KINDS: Kind[] = ['oidc', 'saml', 'ldap'];
const MAPPABLE_ROLES = ['tenant_admin', 'noc_operator', 'support_agent', 'viewer', 'requester'];
const MODES = ['replace', 'add_only', 'first_login'] as const;

interface RuleDraft {
  claim: string;
  value: string;
  role: string;
  branchIds: string[];
}

/**
 * Admin → Sign-in providers (docs/sso.md): the tenant's OpenID Connect, SAML and LDAP
 * providers with their mapping rules, the LDAP test, and the rule that people sign in through
 * the provider with the break-glass accounts that keep a password.
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
        <TestDialog provider={testing} branches={branches} onClose={() => setTesting(null)} />
      )}
      {rows.deleteDialog}
      {page.data && (
        <SignInRuleCard tenants={tenants} users={page.data.users} providers={page.data.providers} />
      )}
    </AdminSection>
  );
}

/** Settings of each kind, as text fields: the hub's name, whether it is a switch. */
const KIND_FIELDS: Record<Kind, { name: string; kind?: 'switch' | 'long' | 'choice' }[]> = {
  oidc: [{ name: 'issuer' }, { name: 'clientId' }, { name: 'groupsClaim' }, { name: 'emailClaim' }],
  saml: [
    { name: 'idpMetadataXml', kind: 'long' },
    { name: 'groupsAttribute' },
    { name: 'emailAttribute' },
  ],
  ldap: [
    { name: 'url' },
    { name: 'startTls', kind: 'switch' },
    { name: 'caPem', kind: 'long' },
    { name: 'bindDn' },
    { name: 'userBaseDn' },
    { name: 'userFilter' },
    { name: 'groupLookup', kind: 'choice' },
    { name: 'groupBaseDn' },
    { name: 'nestedGroups', kind: 'switch' },
    { name: 'emailAttribute' },
  ],
};

const DEFAULTS: Record<Kind, Record<string, string | boolean>> = {
  oidc: { issuer: '', clientId: '', groupsClaim: 'groups', emailClaim: 'email' },
  saml: { idpMetadataXml: '', groupsAttribute: 'groups', emailAttribute: 'email' },
  ldap: {
    url: 'ldaps://',
    startTls: false,
    caPem: '',
    bindDn: '',
    userBaseDn: '',
    // Active Directory's names for a person: the logon name, the UPN, or the e-mail typed.
    userFilter:
      '(&(objectClass=person)(|(sAMAccountName={username})(userPrincipalName={username})(mail={username})))',
    groupLookup: 'memberOf',
    groupBaseDn: '',
    nestedGroups: true,
    emailAttribute: 'mail',
  },
};

function ProviderDialog({
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
  const [settings, setSettings] = useState<Record<string, string | boolean>>(() => ({
    ...DEFAULTS[(provider?.kind as Kind) ?? 'oidc'],
    ...((provider?.settings as Record<string, string | boolean>) ?? {}),
  }));
  const [secret, setSecret] = useState('');
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
    setSettings(DEFAULTS[k]);
  };
  const body = (): ProviderInput => {
    // Empty optional fields are left out: the hub's defaults apply.
    const shown = Object.fromEntries(
      Object.entries(settings).filter(
        ([key, v]) => v !== '' && KIND_FIELDS[kind].some((f) => f.name === key),
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
      ...(secret && kind === 'oidc' ? { clientSecret: secret } : {}),
      ...(secret && kind === 'ldap' ? { bindPassword: secret } : {}),
    } as ProviderInput;
  };
  const form = useFormAction(
    () => (provider ? api.changeProvider(provider.id, body()) : api.createProvider(body())),
    () => {
      onSaved();
      onClose();
    },
  );
  const roleLabel = (r: string) => t(`role.${r}` as MessageKey);
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
      {KIND_FIELDS[kind].map((f) => (
        <SettingField
          key={f.name}
          form={form}
          field={f}
          value={settings[f.name] ?? ''}
          onChange={(v) => setSettings((s) => ({ ...s, [f.name]: v }))}
        />
      ))}
      {kind !== 'saml' && (
        <PasswordInput
          label={t(kind === 'ldap' ? 'admin.sso.bindPassword' : 'admin.sso.clientSecret')}
          description={provider?.hasSecret ? t('admin.sso.secretKept') : t('admin.sso.secretHelp')}
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          error={form.messageFor(kind === 'ldap' ? 'bindPassword' : 'clientSecret')}
          dir="ltr"
          data-testid="provider-secret"
        />
      )}
      <Title order={4} size="h5" mt="xs">
        {t('admin.sso.mapping')}
      </Title>
      <Text size="sm" c="dimmed">
        {t(`admin.sso.mappingHelp.${kind}` as MessageKey)}
      </Text>
      <Group grow align="flex-start">
        <NativeSelect
          label={t('admin.sso.mode')}
          description={t(`admin.sso.mode.${mode}Help` as MessageKey)}
          value={mode}
          onChange={(e) => setMode(e.currentTarget.value)}
          data={MODES.map((m) => ({ value: m, label: t(`admin.sso.mode.${m}` as MessageKey) }))}
          data-testid="provider-mode"
        />
        <NativeSelect
          label={t('admin.sso.defaultRole')}
          description={t('admin.sso.defaultRoleHelp')}
          value={defaultRole}
          onChange={(e) => setDefaultRole(e.currentTarget.value)}
          data={[
            { value: '', label: t('admin.sso.noAccess') },
            ...MAPPABLE_ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
          ]}
          data-testid="provider-default-role"
        />
      </Group>
      {rules.map((rule, i) => (
        <RuleRow
          key={i}
          index={i}
          form={form}
          rule={rule}
          kind={kind}
          branches={branches}
          onChange={(r) => setRules((all) => all.map((x, j) => (j === i ? r : x)))}
          onRemove={() => setRules((all) => all.filter((_, j) => j !== i))}
        />
      ))}
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={() =>
            setRules((all) => [
              ...all,
              { claim: 'groups', value: '', role: 'viewer', branchIds: [] },
            ])
          }
          data-testid="rule-add"
        >
          {t('admin.sso.addRule')}
        </Button>
      </Group>
    </FormDialog>
  );
}

function SettingField({
  form,
  field,
  value,
  onChange,
}: {
  form: FormAction;
  field: { name: string; kind?: 'switch' | 'long' | 'choice' };
  value: string | boolean;
  onChange: (v: string | boolean) => void;
}) {
  const { t } = useI18n();
  const label = t(`admin.sso.field.${field.name}` as MessageKey);
  const help = t(`admin.sso.field.${field.name}Help` as MessageKey);
  const hub = `settings.${field.name}`;
  const testId = `provider-setting-${field.name}`;
  if (field.kind === 'switch')
    return (
      <Switch
        label={label}
        description={help}
        checked={value === true}
        onChange={(e) => onChange(e.currentTarget.checked)}
        error={form.messageFor(hub)}
        data-testid={testId}
      />
    );
  if (field.kind === 'choice')
    return (
      <NativeSelect
        label={label}
        description={help}
        value={String(value)}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[
          { value: 'memberOf', label: t('admin.sso.groupLookup.memberOf') },
          { value: 'member', label: t('admin.sso.groupLookup.member') },
        ]}
        data-testid={testId}
      />
    );
  if (field.kind === 'long')
    return (
      <Textarea
        label={label}
        description={help}
        value={String(value)}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={form.messageFor(hub)}
        autosize
        minRows={2}
        maxRows={8}
        dir="ltr"
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        data-testid={testId}
      />
    );
  return (
    <TextInput
      label={label}
      description={help}
      value={String(value)}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={form.messageFor(hub)}
      dir="ltr"
      data-testid={testId}
    />
  );
}

function RuleRow({
  index,
  form,
  rule,
  kind,
  branches,
  onChange,
  onRemove,
}: {
  index: number;
  form: FormAction;
  rule: RuleDraft;
  kind: Kind;
  branches: Named[];
  onChange: (r: RuleDraft) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <Card withBorder padding="xs" data-testid="rule-row">
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t(kind === 'ldap' ? 'admin.sso.rule.attribute' : 'admin.sso.rule.claim')}
          value={rule.claim}
          onChange={(e) => onChange({ ...rule, claim: e.currentTarget.value })}
          dir="ltr"
          w={130}
          data-testid="rule-claim"
        />
        <TextInput
          label={t(kind === 'ldap' ? 'admin.sso.rule.group' : 'admin.sso.rule.value')}
          value={rule.value}
          onChange={(e) => onChange({ ...rule, value: e.currentTarget.value })}
          error={form.messageFor(`rules.${index}`)}
          dir="auto"
          style={{ flex: '1 1 160px' }}
          data-testid="rule-value"
        />
        <NativeSelect
          label={t('admin.sso.rule.role')}
          value={rule.role}
          onChange={(e) => onChange({ ...rule, role: e.currentTarget.value })}
          data={MAPPABLE_ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
          style={{ flex: '1 1 150px' }}
          data-testid="rule-role"
        />
        <MultiSelect
          label={t('admin.sso.rule.branches')}
          placeholder={rule.branchIds.length ? undefined : t('admin.sso.rule.allBranches')}
          value={rule.branchIds}
          onChange={(v) => onChange({ ...rule, branchIds: v })}
          data={branches.map((b) => ({ value: b.id, label: b.name }))}
          style={{ flex: '1 1 180px' }}
          data-testid="rule-branches"
        />
        <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
          {t('admin.remove')}
        </Button>
      </Group>
    </Card>
  );
}

/** LDAP: a test person's sign-in, what the directory answered and what it would map to. */
function TestDialog({
  provider,
  branches,
  onClose,
}: {
  provider: IdentityProvider;
  branches: Named[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [answer, setAnswer] = useState<ProviderTest | null>(null);
  const form = useFormAction(async () => {
    setAnswer(null);
    setAnswer(await api.testProvider(provider.id, username.trim(), password));
  });
  const branchName = (id: string) => branches.find((b) => b.id === id)?.name ?? '?';
  return (
    <FormDialog
      title={t('admin.sso.testTitle', { name: provider.name })}
      form={form}
      onClose={onClose}
      size="lg"
      saveLabel={t('admin.sso.testRun')}
      saveTestId="provider-test-run"
      testId="provider-test-dialog"
    >
      <Text size="sm" c="dimmed">
        {t('admin.sso.testHelp')}
      </Text>
      <TextInput
        label={t('login.username')}
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        dir="ltr"
        data-testid="provider-test-username"
      />
      <PasswordInput
        label={t('login.password')}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        data-testid="provider-test-password"
      />
      {answer && (
        <Alert
          color={answer.outcome === 'ok' ? (answer.mapped ? 'teal' : 'orange') : 'red'}
          data-testid="provider-test-answer"
        >
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t(`admin.sso.outcome.${answer.outcome}` as MessageKey)}
            </Text>
            {answer.person && (
              <>
                <Text size="sm">
                  {t('admin.sso.testPerson')}: <bdi>{answer.person.displayName ?? '—'}</bdi>
                  {answer.person.email && (
                    <>
                      {' · '}
                      <bdi dir="ltr">{answer.person.email}</bdi>
                    </>
                  )}
                </Text>
                <Text size="sm">
                  {t('admin.sso.testGroups')}:{' '}
                  {answer.person.groups.length ? (
                    <bdi>{answer.person.groups.join('، ')}</bdi>
                  ) : (
                    t('admin.sso.testNoGroups')
                  )}
                </Text>
                <Text size="sm" fw={600}>
                  {answer.mapped
                    ? t('admin.sso.testMapped', {
                        role: t(`role.${answer.mapped.role}` as MessageKey),
                        branches: answer.mapped.branchIds.length
                          ? answer.mapped.branchIds.map(branchName).join(', ')
                          : t('admin.sso.rule.allBranches'),
                      })
                    : t('admin.sso.testNoAccess')}
                </Text>
              </>
            )}
          </Stack>
        </Alert>
      )}
    </FormDialog>
  );
}

/** The tenant's rule "sign in through our provider" and its break-glass accounts. */
function SignInRuleCard({
  tenants,
  users,
  providers,
}: {
  tenants: Tenant[] | null;
  users: AdminUser[];
  providers: IdentityProvider[];
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [picked, setTenantId] = useState<string | null>(null);
  // A global admin looks at one tenant at a time (the first until they pick).
  const tenantId = picked ?? tenants?.[0]?.id ?? null;
  const load = useCallback(() => api.signInSettings(tenantId), [api, tenantId]);
  const page = useLoad(load);
  return (
    <Card withBorder data-testid="sign-in-rule" mt="md">
      <Stack gap="xs">
        <div>
          <Title order={3} size="h4">
            {t('admin.sso.ruleTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('admin.sso.ruleHelp')}
          </Text>
        </div>
        {tenants && (
          <NativeSelect
            label={t('admin.tenant')}
            value={tenantId ?? ''}
            onChange={(e) => setTenantId(e.currentTarget.value || null)}
            data={tenants.map((x) => ({ value: x.id, label: x.name }))}
            maw={320}
            data-testid="sign-in-rule-tenant"
          />
        )}
        <LoadState error={page.error} loading={page.data === null}>
          {page.data && (
            <RuleForm
              key={page.data.tenantId}
              settings={page.data}
              users={users.filter(
                (u) => u.tenantId === page.data!.tenantId && u.provisionedBy === null,
              )}
              hasProvider={providers.some((p) => p.tenantId === page.data!.tenantId && p.enabled)}
              onSaved={page.reload}
            />
          )}
        </LoadState>
      </Stack>
    </Card>
  );
}

function RuleForm({
  settings,
  users,
  hasProvider,
  onSaved,
}: {
  settings: SignInSettings;
  users: AdminUser[];
  hasProvider: boolean;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [draft, setDraft] = useState(settings);
  const [saved, setSaved] = useState(false);
  const form = useFormAction(
    () => api.setSignInSettings(draft),
    () => {
      setSaved(true);
      onSaved();
    },
  );
  const set = (change: Partial<SignInSettings>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...change }));
  };
  // The hub's refusals of this form have words of their own in every language.
  const refusal =
    form.field === 'breakGlassUserIds'
      ? t('admin.sso.breakGlassNeeded')
      : form.field === 'ssoRequired'
        ? t('admin.sso.providerNeeded')
        : null;
  return (
    <form onSubmit={form.submit}>
      <Stack gap="xs">
        <Switch
          label={t('admin.sso.required')}
          description={t(hasProvider ? 'admin.sso.requiredHelp' : 'admin.sso.providerNeeded')}
          checked={draft.ssoRequired}
          onChange={(e) => set({ ssoRequired: e.currentTarget.checked })}
          data-testid="sso-required"
        />
        <Checkbox.Group
          label={t('admin.sso.breakGlass')}
          description={t('admin.sso.breakGlassHelp')}
          value={draft.breakGlassUserIds}
          onChange={(v) => set({ breakGlassUserIds: v })}
          data-testid="break-glass"
        >
          <Stack gap={6} mt={6}>
            {users.map((u) => (
              <Checkbox
                key={u.id}
                value={u.id}
                label={
                  <>
                    <bdi>{u.username}</bdi>{' '}
                    <Text span size="xs" c="dimmed">
                      ({t(`role.${u.role}` as MessageKey)})
                    </Text>
                  </>
                }
              />
            ))}
          </Stack>
        </Checkbox.Group>
        {refusal ? (
          <Alert color="red" data-testid="form-error">
            {refusal}
          </Alert>
        ) : (
          <FormError error={form.error} />
        )}
        <Group>
          <Button type="submit" loading={form.busy} data-testid="sign-in-rule-save">
            {t('admin.save')}
          </Button>
          {saved && (
            <Text size="sm" c="teal" data-testid="sign-in-rule-saved">
              {t('admin.sso.ruleSaved')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
