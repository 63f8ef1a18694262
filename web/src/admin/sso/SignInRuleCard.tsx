import { Alert, Button, Card, Checkbox, Group, Stack, Switch, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { AdminUser, IdentityProvider, SignInSettings, Tenant } from '../../api/identityApi';
import { FormError, useFormAction } from '../../common/forms';
import { useIdentityApi, useLoad } from '../../common/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { CardHeader, LoadState } from '../common';
import { TenantPicker } from '../tenantScope';

/** The tenant's rule "sign in through our provider" and its break-glass accounts. */
export function SignInRuleCard({
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
        <CardHeader title={t('admin.sso.ruleTitle')} help={t('admin.sso.ruleHelp')} />
        <TenantPicker
          tenants={tenants}
          value={tenantId}
          onChange={(id) => setTenantId(id || null)}
          testId="sign-in-rule-tenant"
        />
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
