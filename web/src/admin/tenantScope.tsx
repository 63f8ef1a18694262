import { NativeSelect } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Tenant } from '../api/identityApi';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import type { Column } from './crud';

/**
 * For a global admin, the tenants a support group or canned reply may belong to (or every
 * tenant: the hub keeps it with no tenant); for anyone else null, and the hub files it under
 * their own tenant.
 */
export function useTenantScope(): Tenant[] | null {
  return useTenantScopeState().tenants;
}

/**
 * `useTenantScope` with whether the answer is known yet: a page whose request must name the
 * tenant for a global admin waits for it rather than asking once without (and showing the hub's
 * refusal while the tenants load).
 */
export function useTenantScopeState(): { known: boolean; tenants: Tenant[] | null } {
  const api = useApi();
  const identity = useIdentityApi();
  const load = useCallback(async () => {
    const me = await api.me();
    return { tenants: me.permissions.includes('tenants.manage') ? await identity.tenants() : null };
  }, [api, identity]);
  const { data } = useLoad(load);
  return { known: data !== null, tenants: data?.tenants ?? null };
}

/** The tenant a row belongs to, by name; "every tenant" for one without. */
export function tenantName(tenants: Tenant[], tenantId: string | null, every: string): string {
  if (tenantId === null) return every;
  return tenants.find((x) => x.id === tenantId)?.name ?? every;
}

/** The Tenant column of a list, for a global admin only (`tenants` not null). */
export function tenantColumn<T extends { tenantId: string | null }>(
  tenants: Tenant[] | null,
  label: string,
  every: string,
): Column<T>[] {
  return tenants ? [{ label, cell: (row: T) => tenantName(tenants, row.tenantId, every) }] : [];
}

/**
 * A global admin's choice of tenant for a new row: every tenant, or one of them. Nothing for
 * anyone else (`tenants` null): the hub files the row under their tenant.
 */
export function TenantSelect({
  tenants,
  value,
  onChange,
  testId,
}: {
  tenants: Tenant[] | null;
  value: string;
  onChange: (tenantId: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  if (tenants === null) return null;
  return (
    <NativeSelect
      label={t('admin.tenant')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[
        { value: '', label: t('admin.everyTenant') },
        ...tenants.map((x) => ({ value: x.id, label: x.name })),
      ]}
      data-testid={testId}
    />
  );
}

/**
 * A global admin's choice of the one tenant a page or card shows (its settings, its report);
 * `first` puts an option before the tenants (e.g. the users of no tenant). Nothing for anyone
 * else (`tenants` null): they see their own tenant's.
 */
export function TenantPicker({
  tenants,
  value,
  onChange,
  testId,
  first,
}: {
  tenants: Tenant[] | null;
  value: string | null;
  onChange: (tenantId: string) => void;
  testId: string;
  first?: { value: string; label: string };
}) {
  const { t } = useI18n();
  if (tenants === null) return null;
  return (
    <NativeSelect
      label={t('admin.tenant')}
      value={value ?? ''}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[...(first ? [first] : []), ...tenants.map((x) => ({ value: x.id, label: x.name }))]}
      maw={320}
      data-testid={testId}
    />
  );
}

/** The tenant a new row is for, as the create call takes it (nothing unless a global admin). */
export function useTenantChoice(tenants: Tenant[] | null) {
  const [tenantId, setTenantId] = useState('');
  return {
    tenantId,
    setTenantId,
    body: tenants ? { tenantId: tenantId || null } : {},
  };
}
