import {
  Badge,
  Group,
  MultiSelect,
  NativeSelect,
  PasswordInput,
  Switch,
  Text,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { TwoFactorCard } from '../profile/TwoFactorCard';
import { AdminSection, AdminTable, FormCard, RowButton, useDraft } from './crud';
import { ROLES, type AdminUser, type Tenant } from '../api/identityApi';
import type { Branch, Role } from '../api/types';
import { useApi } from '../api/ApiContext';
import { useAdminApi, useIdentityApi, useLoad } from '../common/useLoad';
import { fieldRefusal, useFormAction } from '../common/forms';
import { FormDialog } from '../common/FormDialog';
import { PasswordPolicyCard } from './PasswordPolicyCard';
import { UserSessions } from './UserSessions';
import { ScimTokensCard } from './ScimTokensCard';

/** What the users page needs: who is signed in, the tenants they may pick, the branches. */
function useUsersPage() {
  const client = useApi();
  const identity = useIdentityApi();
  const admin = useAdminApi();
  const load = useCallback(async () => {
    const me = await client.me();
    const [users, branches, tenants] = await Promise.all([
      identity.users(),
      admin.branches(),
      // Only an admin of every tenant picks one; a tenant's admin adds people to their own.
      me.role === 'admin' ? identity.tenants() : Promise.resolve(null),
    ]);
    return { me, users, branches, tenants };
  }, [client, identity, admin]);
  return useLoad(load);
}

interface Directory {
  /** Null: the signed-in admin belongs to one tenant, which every new user joins. */
  tenants: Tenant[] | null;
  branches: Branch[];
  /** The roles the signed-in admin may give (a tenant's admin cannot make global admins). */
  roles: Role[];
}

/** The branches of `tenantId` (null: the signed-in admin's own, the only ones served). */
function branchesOf(directory: Directory, tenantId: string | null): Branch[] {
  if (!directory.tenants) return directory.branches;
  const slug = directory.tenants.find((x) => x.id === tenantId)?.slug;
  return directory.branches.filter((b) => b.tenant === slug);
}

export function UsersAdmin() {
  const { t } = useI18n();
  const page = useUsersPage();
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const data = page.data;
  const directory: Directory = {
    tenants: data?.tenants ?? null,
    branches: data?.branches ?? [],
    roles: ROLES.filter((r) => r !== 'admin' || data?.me.role === 'admin'),
  };
  const tenantName = (id: string | null) =>
    id === null
      ? t('admin.users.noTenant')
      : (directory.tenants?.find((x) => x.id === id)?.name ?? t('common.none'));
  const branchNames = (u: AdminUser) =>
    u.branchIds.length === 0
      ? t('admin.users.allBranches')
      : u.branchIds
          .map((id) => directory.branches.find((b) => b.id === id)?.name)
          .filter(Boolean)
          .join(t('admin.listSeparator'));
  return (
    <>
      <AdminSection title={t('admin.users.title')} help={t('admin.users.help')} state={page}>
        <NewUser directory={directory} onCreated={page.reload} />
        <AdminTable
          testId="user-table"
          rowTestId="user-row"
          rows={data?.users ?? []}
          rowKey={(u) => u.id}
          rowAttributes={(u) => ({ 'data-username': u.username })}
          columns={[
            { label: t('login.username'), ltr: true, cell: (u) => u.username },
            { label: t('admin.users.role'), cell: (u) => t(`role.${u.role}` as MessageKey) },
            ...(directory.tenants
              ? [{ label: t('admin.tenant'), cell: (u: AdminUser) => tenantName(u.tenantId) }]
              : []),
            { label: t('admin.users.branches'), cell: branchNames },
            {
              label: t('admin.users.state'),
              cell: (u) => (
                <Group gap={4} wrap="wrap">
                  <Badge variant="light" color={u.disabled ? 'gray' : 'teal'}>
                    {u.disabled ? t('admin.users.disabled') : t('admin.users.active')}
                  </Badge>
                  {u.provisionedBy === 'scim' && (
                    <Badge variant="outline" color="indigo" data-testid="user-from-directory">
                      {t('admin.users.fromDirectory')}
                    </Badge>
                  )}
                </Group>
              ),
            },
            {
              label: t('admin.users.twoFactor'),
              cell: (u) => (
                <Badge variant="light" color={u.totpEnabled ? 'teal' : 'gray'}>
                  {u.totpEnabled ? t('admin.users.twoFactorOn') : t('admin.users.twoFactorOff')}
                </Badge>
              ),
            },
          ]}
          actions={(u) =>
            u.id === data?.me.id ? null : (
              <RowButton onClick={() => setEditing(u)} testId="user-edit">
                {t('admin.edit')}
              </RowButton>
            )
          }
        />
      </AdminSection>
      {editing && (
        <EditUser
          key={editing.id}
          user={editing}
          directory={directory}
          onClose={() => setEditing(null)}
          onSaved={page.reload}
        />
      )}
      {data && <PasswordPolicyCard tenants={directory.tenants} />}
      {data && <ScimTokensCard tenants={directory.tenants} />}
      <TwoFactorCard />
    </>
  );
}

/**
 * Which branches the user is limited to; none chosen: all of the tenant's. In a form's row
 * (`inRow`) it shares the width with its neighbours; in a dialog's column it takes its own
 * height only (a flex basis there would be a height, and left a blank gap under it).
 */
function BranchScope({
  branches,
  value,
  onChange,
  error,
  inRow = false,
}: {
  branches: Branch[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  inRow?: boolean;
}) {
  const { t } = useI18n();
  return (
    <MultiSelect
      label={t('admin.users.branches')}
      description={t('admin.users.branchesHelp')}
      placeholder={value.length === 0 ? t('admin.users.allBranches') : undefined}
      data={branches.map((b) => ({ value: b.id, label: b.name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      miw={inRow ? 220 : undefined}
      style={inRow ? { flex: '1 1 220px' } : undefined}
      error={error}
      data-testid="user-branches"
    />
  );
}

function NewUser({ directory, onCreated }: { directory: Directory; onCreated: () => void }) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const draft = useDraft({ username: '', password: '' });
  const [role, setRole] = useState<Role>('support_agent');
  const [tenantId, setTenantId] = useState('');
  const [branchIds, setBranchIds] = useState<string[]>([]);
  const pickTenant = directory.tenants !== null;
  const tenant = tenantId || null;
  const form = useFormAction(
    async () => {
      // Everyone but a global admin belongs to a tenant: say so before the hub does.
      if (pickTenant && role !== 'admin' && !tenant)
        throw fieldRefusal(
          'tenantId',
          t('admin.users.tenantNeeded', { role: t(`role.${role}` as MessageKey) }),
        );
      await api.createUser({
        ...draft.values,
        role,
        ...(pickTenant ? { tenantId: role === 'admin' ? null : tenant } : {}),
        ...(role === 'admin' ? {} : { branchIds }),
      });
    },
    () => {
      draft.reset('username', 'password');
      setBranchIds([]);
      onCreated();
    },
  );
  const branches = branchesOf(directory, tenant);
  return (
    <FormCard
      form={form}
      submitLabel={t('admin.users.create')}
      testId="new-user"
      submitTestId="user-create"
    >
      {draft.field(form, 'username', t('login.username'), {
        ltr: true,
        required: true,
        testId: 'user-username',
      })}
      <PasswordInput
        label={t('login.password')}
        description={t('admin.users.passwordPolicyHelp')}
        required
        miw={220}
        style={{ flex: '1 1 220px' }}
        value={draft.values.password}
        onChange={(e) => draft.set('password', e.currentTarget.value)}
        error={form.messageFor('password')}
        data-testid="user-password"
      />
      <NativeSelect
        label={t('admin.users.role')}
        value={role}
        onChange={(e) => setRole(e.currentTarget.value as Role)}
        data={directory.roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        data-testid="user-role"
      />
      {pickTenant && role !== 'admin' && (
        <NativeSelect
          label={t('admin.tenant')}
          value={tenantId}
          onChange={(e) => {
            setTenantId(e.currentTarget.value);
            setBranchIds([]);
          }}
          data={[
            { value: '', label: t('admin.users.chooseTenant') },
            ...(directory.tenants ?? []).map((x) => ({ value: x.id, label: x.name })),
          ]}
          error={form.messageFor('tenantId')}
          data-testid="user-tenant"
        />
      )}
      {role !== 'admin' && (!pickTenant || tenant) && (
        <BranchScope
          branches={branches}
          value={branchIds}
          onChange={setBranchIds}
          error={form.messageFor('branchIds')}
          inRow
        />
      )}
    </FormCard>
  );
}

function EditUser({
  user,
  directory,
  onClose,
  onSaved,
}: {
  user: AdminUser;
  directory: Directory;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [role, setRole] = useState<Role>(user.role);
  const [branchIds, setBranchIds] = useState<string[]>(user.branchIds);
  const [disabled, setDisabled] = useState(user.disabled);
  const [password, setPassword] = useState('');
  const form = useFormAction(
    () =>
      api.changeUser(user.id, {
        role,
        disabled,
        ...(user.tenantId ? { branchIds } : {}),
        ...(password ? { password } : {}),
      }),
    () => {
      onSaved();
      onClose();
    },
  );
  return (
    <FormDialog
      title={t('admin.users.editTitle', { username: user.username })}
      form={form}
      onClose={onClose}
      testId="user-dialog"
      saveTestId="user-save"
    >
      <NativeSelect
        label={t('admin.users.role')}
        value={role}
        onChange={(e) => setRole(e.currentTarget.value as Role)}
        data={directory.roles
          .filter((r) => r !== 'admin' || !user.tenantId)
          .map((r) => ({ value: r, label: t(`role.${r}`) }))}
        error={form.messageFor('role')}
        data-testid="user-edit-role"
      />
      {user.tenantId && (
        <BranchScope
          branches={branchesOf(directory, user.tenantId)}
          value={branchIds}
          onChange={setBranchIds}
          error={form.messageFor('branchIds')}
        />
      )}
      <Switch
        label={t('admin.users.disable')}
        description={t('admin.users.disableHelp')}
        checked={disabled}
        onChange={(e) => setDisabled(e.currentTarget.checked)}
        data-testid="user-disabled"
      />
      {disabled && !user.disabled && (
        <Text size="sm" c="orange">
          {t('admin.users.disableWarning', { username: user.username })}
        </Text>
      )}
      <PasswordInput
        label={t('admin.users.newPassword')}
        description={t('admin.users.newPasswordHelp')}
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={form.messageFor('password')}
        data-testid="user-new-password"
      />
      {password && (
        <Text size="sm" c="orange" data-testid="user-new-password-warning">
          {t('admin.users.newPasswordWarning', { username: user.username })}
        </Text>
      )}
      <UserSessions userId={user.id} />
    </FormDialog>
  );
}
