import type { Database } from '../db/database.js';
import type { Role } from '@branchwatch/api';

export interface CustomRole {
  id: string;
  tenantId: string | null;
  name: string;
  permissions: string[];
}

/** What the access middleware needs about a user on each request. */
export interface UserAccessRow {
  disabled: boolean;
  customPermissions: string[] | null;
  branchIds: string[];
}

export interface AdminUserRow {
  id: string;
  username: string;
  role: Role;
  tenantId: string | null;
  customRoleId: string | null;
  disabled: boolean;
  branchIds: string[];
  /** Whether the user has two-factor sign-in turned on (never the secret itself). */
  totpEnabled: boolean;
  /** 'scim': the tenant's directory made and manages this person (identity/scim/). */
  provisionedBy: string | null;
}

const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.role',
  'u.tenant_id as tenantId',
  'u.custom_role_id as customRoleId',
  'u.disabled_at as disabledAt',
  'u.totp_secret as totpSecret',
  'u.provisioned_by as provisionedBy',
];

/** Custom roles, user administration and branch scopes (tables of migration 010-rls). */
export class RoleRepository {
  constructor(private readonly db: Database) {}

  async accessOf(userId: string): Promise<UserAccessRow | undefined> {
    const row = (await this.db('users as u')
      .leftJoin('roles as r', 'r.id', 'u.custom_role_id')
      .where('u.id', userId)
      .first(
        'u.disabled_at as disabledAt',
        'r.permissions',
        this.db.raw(
          'array(SELECT branch_id FROM user_branches WHERE user_id = u.id) AS branch_ids',
        ),
      )) as
      { disabledAt: Date | null; permissions: string[] | null; branch_ids: string[] } | undefined;
    if (!row) return undefined;
    return {
      disabled: row.disabledAt !== null,
      customPermissions: row.permissions,
      branchIds: row.branch_ids,
    };
  }

  listRoles(tenantId: string | null): Promise<CustomRole[]> {
    const q = this.db('roles').select('id', 'tenant_id as tenantId', 'name', 'permissions');
    if (tenantId) void q.where((w) => w.where('tenant_id', tenantId).orWhereNull('tenant_id'));
    return q.orderBy('name');
  }

  findRole(id: string): Promise<CustomRole | undefined> {
    return this.db('roles')
      .where({ id })
      .first('id', 'tenant_id as tenantId', 'name', 'permissions');
  }

  async createRole(values: Omit<CustomRole, 'id'>): Promise<CustomRole> {
    const [row] = await this.db('roles')
      .insert({ tenant_id: values.tenantId, name: values.name, permissions: values.permissions })
      .returning(['id', 'tenant_id as tenantId', 'name', 'permissions']);
    return row as CustomRole;
  }

  async updateRole(id: string, values: { name?: string; permissions?: string[] }) {
    await this.db('roles').where({ id }).update(values);
  }

  async deleteRole(id: string): Promise<void> {
    await this.db('roles').where({ id }).delete();
  }

  async listUsers(tenantId: string | null): Promise<AdminUserRow[]> {
    const q = this.db('users as u').select(...USER_COLUMNS, this.branchIdsColumn());
    if (tenantId) void q.where('u.tenant_id', tenantId);
    return (await q.orderBy('u.username')).map(toAdminUser);
  }

  async findUser(id: string): Promise<AdminUserRow | undefined> {
    const row = await this.db('users as u')
      .where('u.id', id)
      .first(...USER_COLUMNS, this.branchIdsColumn());
    return row ? toAdminUser(row) : undefined;
  }

  async insertUser(values: {
    username: string;
    passwordHash: string;
    role: Role;
    tenantId: string | null;
    customRoleId: string | null;
  }): Promise<string> {
    const [row] = (await this.db('users')
      .insert({
        username: values.username,
        password_hash: values.passwordHash,
        role: values.role,
        tenant_id: values.tenantId,
        custom_role_id: values.customRoleId,
      })
      .returning('id')) as { id: string }[];
    return row!.id;
  }

  async updateUser(
    id: string,
    values: { role?: Role; customRoleId?: string | null; disabled?: boolean },
  ): Promise<void> {
    const patch: Record<string, unknown> = {};
    if (values.role !== undefined) patch.role = values.role;
    if (values.customRoleId !== undefined) patch.custom_role_id = values.customRoleId;
    if (values.disabled !== undefined) patch.disabled_at = values.disabled ? new Date() : null;
    if (Object.keys(patch).length) await this.db('users').where({ id }).update(patch);
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const row = await this.db('users').where({ id }).first('password_hash');
    return (row?.password_hash as string | undefined) ?? null;
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    await this.db('users').where({ id }).update({ password_hash: hash });
  }

  /**
   * Ends everything a disabled user could still act with: sessions, API tokens (revoked, so
   * re-enabling the account does not bring them back), login tickets and Telegram link codes.
   */
  async revokeCredentials(userId: string, now: Date): Promise<void> {
    await this.db('sessions').where({ user_id: userId }).delete();
    await this.db('api_tokens')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
    await this.db('login_tickets').where({ user_id: userId }).delete();
    await this.db('telegram_link_codes').where({ user_id: userId }).delete();
  }

  async setBranches(userId: string, branchIds: readonly string[]): Promise<void> {
    await this.db('user_branches').where({ user_id: userId }).delete();
    if (branchIds.length)
      await this.db('user_branches').insert(
        branchIds.map((branchId) => ({ user_id: userId, branch_id: branchId })),
      );
  }

  /** How many of `branchIds` belong to the tenant. */
  async countTenantBranches(tenantId: string, branchIds: readonly string[]): Promise<number> {
    const row = await this.db('branches')
      .where('tenant_id', tenantId)
      .whereIn('id', branchIds)
      .count<{ count: string }>('* as count')
      .first();
    return Number(row?.count ?? 0);
  }

  private branchIdsColumn() {
    return this.db.raw(
      'array(SELECT branch_id FROM user_branches WHERE user_id = u.id ORDER BY branch_id) AS "branchIds"',
    );
  }
}

type UserColumns = Omit<AdminUserRow, 'disabled' | 'totpEnabled'> & {
  disabledAt: Date | null;
  totpSecret: string | null;
};

const toAdminUser = (row: UserColumns): AdminUserRow => ({
  id: row.id,
  username: row.username,
  role: row.role,
  tenantId: row.tenantId,
  customRoleId: row.customRoleId,
  disabled: row.disabledAt !== null,
  branchIds: row.branchIds,
  totpEnabled: row.totpSecret !== null,
  provisionedBy: row.provisionedBy ?? null,
});
