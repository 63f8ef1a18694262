import { Button, Card, Code, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n';
import type { ScimToken, Tenant } from '../api/identityApi';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { FormError, fieldRefusal, useFormAction } from '../common/forms';
import { ShownOnce } from '../common/ShownOnce';
import { RelativeTime } from '../common/RelativeTime';
import { useNow } from '../common/useNow';
import { CardHeader, LoadState } from './common';

/**
 * Provisioning from the organisation's directory (SCIM 2.0, docs/scim.md): the address to give
 * the directory and the tenant's tokens, each shown once when made and revocable.
 */
export function ScimTokensCard({ tenants }: { tenants: Tenant[] | null }) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const now = useNow(30_000);
  const load = useCallback(() => api.scimTokens(), [api]);
  const page = useLoad(load);
  const [name, setName] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const form = useFormAction(
    async () => {
      if (tenants && !tenantId) throw fieldRefusal('tenantId', t('admin.scim.tenantNeeded'));
      const { token } = await api.createScimToken({
        name,
        ...(tenants ? { tenantId } : {}),
      });
      setMade(token.token);
    },
    () => {
      setName('');
      page.reload();
    },
  );
  const tenantName = (id: string) => tenants?.find((x) => x.id === id)?.name;
  const endpoint = `${window.location.origin}/scim/v2`;
  return (
    <Card withBorder data-testid="scim-card">
      <Stack gap="xs">
        <CardHeader title={t('admin.scim.title')} help={t('admin.scim.help')} />
        <div>
          <Text size="sm" fw={500}>
            {t('admin.scim.endpoint')}
          </Text>
          <Code dir="ltr" style={{ overflowWrap: 'anywhere' }} data-testid="scim-endpoint">
            {endpoint}
          </Code>
        </div>
        {made && (
          <ShownOnce
            title={t('admin.scim.tokenMade')}
            values={[made]}
            fileName="scim-token.txt"
            testId="scim-token-made"
          />
        )}
        <form onSubmit={form.submit}>
          <Group align="flex-end">
            <TextInput
              label={t('admin.scim.tokenName')}
              placeholder={t('admin.scim.tokenNameExample')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={form.messageFor('name')}
              miw={200}
              style={{ flex: '1 1 200px' }}
              data-testid="scim-token-name"
            />
            {tenants && (
              <NativeSelect
                label={t('admin.tenant')}
                value={tenantId}
                onChange={(e) => setTenantId(e.currentTarget.value)}
                data={[
                  { value: '', label: t('admin.users.chooseTenant') },
                  ...tenants.map((x) => ({ value: x.id, label: x.name })),
                ]}
                error={form.messageFor('tenantId')}
                data-testid="scim-token-tenant"
              />
            )}
            <Button type="submit" loading={form.busy} data-testid="scim-token-create">
              {t('admin.scim.create')}
            </Button>
          </Group>
          <FormError error={form.error} />
        </form>
        <LoadState error={page.error} loading={page.data === null}>
          {page.data?.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('admin.scim.none')}
            </Text>
          )}
          {page.data?.map((token: ScimToken) => (
            <Card key={token.id} withBorder padding="xs" data-testid="scim-token">
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {token.name}
                    {tenants ? ` · ${tenantName(token.tenantId) ?? ''}` : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {token.lastUsedAt ? (
                      <>
                        {t('admin.scim.lastUsed')} <RelativeTime at={token.lastUsedAt} now={now} />
                      </>
                    ) : (
                      t('admin.scim.neverUsed')
                    )}
                  </Text>
                </div>
                <Button
                  size="xs"
                  variant="light"
                  color="red"
                  onClick={() => void api.revokeScimToken(token.id).then(page.reload)}
                  data-testid="scim-token-revoke"
                >
                  {t('admin.scim.revoke')}
                </Button>
              </Group>
            </Card>
          ))}
        </LoadState>
      </Stack>
    </Card>
  );
}
