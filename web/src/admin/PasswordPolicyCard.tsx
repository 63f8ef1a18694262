import { Card, NumberInput, Stack, Switch, Text } from '@mantine/core';
import { Button, Group } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n';
import type { PasswordPolicy, Tenant } from '../api/identityApi';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { FormError, useFormAction } from '../common/forms';
import { CardHeader, LoadState } from './common';
import { TenantPicker } from './tenantScope';

/**
 * The tenant's password policy for local accounts and the session limit of its admins
 * (docs/security.md "Password policy"). A tenant's admin edits their own tenant's; an admin of
 * every tenant picks the tenant, or the global users.
 */
export function PasswordPolicyCard({ tenants }: { tenants: Tenant[] | null }) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [tenantId, setTenantId] = useState<string | null>(null);
  const load = useCallback(() => api.passwordPolicy(tenantId), [api, tenantId]);
  const page = useLoad(load);
  return (
    <Card withBorder data-testid="password-policy">
      <Stack gap="xs">
        <CardHeader title={t('admin.policy.title')} help={t('admin.policy.help')} />
        <TenantPicker
          tenants={tenants}
          value={tenantId}
          onChange={(id) => setTenantId(id || null)}
          first={{ value: '', label: t('admin.policy.globalUsers') }}
          testId="policy-tenant"
        />
        <LoadState error={page.error} loading={page.data === null}>
          {page.data && <PolicyForm key={`${tenantId}`} policy={page.data} onSaved={page.reload} />}
        </LoadState>
      </Stack>
    </Card>
  );
}

function PolicyForm({ policy, onSaved }: { policy: PasswordPolicy; onSaved: () => void }) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [draft, setDraft] = useState(policy);
  const [saved, setSaved] = useState(false);
  const form = useFormAction(
    () => api.setPasswordPolicy(draft),
    () => {
      setSaved(true);
      onSaved();
    },
  );
  const set = (change: Partial<PasswordPolicy>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...change }));
  };
  const whole = (v: string | number, fallback: number) =>
    typeof v === 'number' ? v : Number.parseInt(v, 10) || fallback;
  return (
    <form onSubmit={form.submit}>
      <Stack gap="xs">
        <Group align="flex-end">
          <NumberInput
            label={t('admin.policy.minLength')}
            description={t('admin.policy.minLengthHelp')}
            min={8}
            max={128}
            value={draft.minLength}
            onChange={(v) => set({ minLength: whole(v, 8) })}
            error={form.messageFor('minLength')}
            miw={200}
            style={{ flex: '1 1 200px' }}
            data-testid="policy-min-length"
          />
          <NumberInput
            label={t('admin.policy.history')}
            description={t('admin.policy.historyHelp')}
            min={0}
            max={24}
            value={draft.history}
            onChange={(v) => set({ history: whole(v, 0) })}
            error={form.messageFor('history')}
            miw={200}
            style={{ flex: '1 1 200px' }}
            data-testid="policy-history"
          />
          <NumberInput
            label={t('admin.policy.adminSessions')}
            description={t('admin.policy.adminSessionsHelp')}
            placeholder={t('admin.policy.noLimit')}
            min={1}
            max={100}
            value={draft.adminMaxSessions ?? ''}
            onChange={(v) => set({ adminMaxSessions: v === '' ? null : whole(v, 1) })}
            error={form.messageFor('adminMaxSessions')}
            miw={200}
            style={{ flex: '1 1 200px' }}
            data-testid="policy-admin-sessions"
          />
        </Group>
        <Switch
          label={t('admin.policy.refuseCommon')}
          description={t('admin.policy.refuseCommonHelp')}
          checked={draft.refuseCommon}
          onChange={(e) => set({ refuseCommon: e.currentTarget.checked })}
          data-testid="policy-refuse-common"
        />
        <Group>
          <Button type="submit" loading={form.busy} data-testid="policy-save">
            {t('admin.save')}
          </Button>
          {saved && (
            <Text size="sm" c="teal" data-testid="policy-saved">
              {t('admin.policy.saved')}
            </Text>
          )}
        </Group>
        <FormError error={form.error} />
      </Stack>
    </form>
  );
}
