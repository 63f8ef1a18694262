import type { EventBus } from '../core/events.js';
import type { AuditService } from './audit/audit.service.js';
import { apiError, conflict, notFound } from '../http/errors.js';
import type { AdminUserRow, CustomRole, RoleRepository } from './role.repository.js';
import type { TenantRepository } from './tenant.repository.js';
import { hashPassword } from './password.js';
import {
  effectivePermissions,
  GLOBAL_PERMISSIONS,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  type Permission,
} from './permissions.js';
import type { SessionUser } from '../http/request-state.js';
import type { UserAccess } from '../http/request-state.js';
import type { Role } from '@branchwatch/api';
import type { PasswordPolicyService } from './password-policy.service.js';

/** Who is administering: a global admin (tenantId null) or a tenant admin. */
export interface Administrator {
  tenantId: string | null;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  tenantId?: string | null;
  customRoleId?: string | null;
  branchIds?: string[];
}

export interface UserChange {
  role?: Role;
  customRoleId?: string | null;
  branchIds?: string[];
  disabled?: boolean;
  /** A new password, set by an admin. */
  password?: string;
}

/**
 * Users, custom roles and tenants, administered by admins (every tenant) and tenant admins
 * (their own tenant only). Objects of another tenant answer 404, as if they did not exist.
 */
export class UserAdminService {
  constructor(
    private readonly roles: RoleRepository,
    private readonly tenants: TenantRepository,
    /** Tells other features (live streams) that a user's access ended. */
    private readonly events?: EventBus,
    private readonly audit?: AuditService,
    private readonly passwords?: PasswordPolicyService,
  ) {}

  /** Effective permissions and branch scope; undefined for a disabled user (access.ts). */
  async accessOf(user: SessionUser): Promise<UserAccess | undefined> {
    const row = await this.roles.accessOf(user.id);
    if (!row || row.disabled) return undefined;
    const permissions = effectivePermissions(user.role, row.customPermissions, user.tenantId);
    // An API token carries scopes: it gets those its owner still holds (docs/api.md).
    const scopes = user.scopes;
    return {
      permissions: scopes
        ? new Set([...permissions].filter((p) => scopes.includes(p)))
        : permissions,
      branchIds: row.branchIds,
    };
  }

  listUsers(admin: Administrator): Promise<AdminUserRow[]> {
    return this.roles.listUsers(admin.tenantId);
  }

  async createUser(admin: Administrator, input: NewUser): Promise<AdminUserRow> {
    const tenantId = admin.tenantId ?? input.tenantId ?? null;
    await this.checkAssignable(admin, tenantId, input.role, input.customRoleId ?? null);
    requesterHasBranches(input.role, input.branchIds ?? []);
    if (tenantId && !(await this.tenants.findById(tenantId)))
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${tenantId} does not exist`);
    await this.passwords?.check(tenantId, input.password, 'password');
    const id = await this.roles
      .insertUser({
        username: input.username,
        passwordHash: await hashPassword(input.password),
        role: input.role,
        tenantId,
        customRoleId: input.customRoleId ?? null,
      })
      .catch((err: { code?: string }) => {
        if (err.code === '23505') throw conflict(`user ${input.username} exists`);
        throw err;
      });
    if (input.branchIds?.length) await this.setBranches(id, tenantId, input.branchIds);
    return (await this.roles.findUser(id))!;
  }

  async updateUser(admin: Administrator, id: string, change: UserChange): Promise<AdminUserRow> {
    const user = await this.userOf(admin, id);
    const role = change.role ?? user.role;
    const customRoleId =
      change.customRoleId === undefined ? user.customRoleId : change.customRoleId;
    await this.checkAssignable(admin, user.tenantId, role, customRoleId);
    requesterHasBranches(role, change.branchIds ?? user.branchIds);
    const { password, ...values } = change;
    await this.roles.updateUser(id, { ...values, role, customRoleId });
    if (password !== undefined) {
      const currentHash = await this.roles.passwordHashOf(id);
      await this.passwords?.check(user.tenantId, password, 'password', { id, currentHash });
      await this.roles.setPasswordHash(id, await hashPassword(password));
      await this.passwords?.remember(user.tenantId, id, currentHash);
      await this.audit?.record({
        action: 'auth.password_changed',
        target: `user:${id}`,
        tenantId: user.tenantId,
        details: { by: 'admin' },
      });
    }
    if ((change.disabled === true && !user.disabled) || password !== undefined) {
      // Whoever held the old password or a session must not keep acting.
      await this.roles.revokeCredentials(id, new Date());
      // Live streams of the user close at once, on every hub process (live/live-events.ts).
      await this.events?.emit('access.revoked', { userId: id, at: new Date() });
    }
    if (change.branchIds) await this.setBranches(id, user.tenantId, change.branchIds);
    return (await this.roles.findUser(id))!;
  }

  listRoles(admin: Administrator) {
    return this.roles.listRoles(admin.tenantId);
  }

  async createRole(
    admin: Administrator,
    input: { name: string; permissions: Permission[]; tenantId?: string | null },
  ): Promise<CustomRole> {
    const tenantId = admin.tenantId ?? input.tenantId ?? null;
    this.checkGrantable(tenantId, input.permissions);
    return this.roles
      .createRole({ tenantId, name: input.name, permissions: input.permissions })
      .catch((err: { code?: string }) => {
        if (err.code === '23505') throw conflict(`role ${input.name} exists`);
        throw err;
      });
  }

  async updateRole(
    admin: Administrator,
    id: string,
    change: { name?: string; permissions?: Permission[] },
  ): Promise<CustomRole> {
    const role = await this.roleOf(admin, id, true);
    if (change.permissions) this.checkGrantable(role.tenantId, change.permissions);
    await this.roles.updateRole(id, change);
    return (await this.roles.findRole(id))!;
  }

  async deleteRole(admin: Administrator, id: string): Promise<void> {
    await this.roleOf(admin, id, true);
    await this.roles.deleteRole(id);
  }

  private async userOf(admin: Administrator, id: string): Promise<AdminUserRow> {
    const user = await this.roles.findUser(id);
    if (!user || (admin.tenantId && user.tenantId !== admin.tenantId))
      throw notFound('BW_ERR_NOT_FOUND', `user ${id} does not exist`);
    return user;
  }

  /** A tenant admin sees shared roles but changes only their tenant's. */
  private async roleOf(admin: Administrator, id: string, write: boolean): Promise<CustomRole> {
    const role = await this.roles.findRole(id);
    const visible =
      role &&
      (!admin.tenantId || role.tenantId === admin.tenantId || (!write && role.tenantId === null));
    if (!visible) throw notFound('BW_ERR_NOT_FOUND', `role ${id} does not exist`);
    return role;
  }

  private async checkAssignable(
    admin: Administrator,
    tenantId: string | null,
    role: Role,
    customRoleId: string | null,
  ): Promise<void> {
    // `admin` without a tenant reaches every tenant; only a global admin makes one.
    if (role === 'admin' && (admin.tenantId || tenantId))
      throw apiError(403, 'BW_ERR_FORBIDDEN', 'only a global admin, without a tenant, is admin');
    if (role !== 'admin' && !tenantId)
      throw apiError(400, 'BW_ERR_VALIDATION', `a ${role} belongs to a tenant`, {
        field: 'tenantId',
      });
    if (customRoleId) {
      const custom = await this.roleOf(admin, customRoleId, false);
      if (custom.tenantId && custom.tenantId !== tenantId)
        throw notFound('BW_ERR_NOT_FOUND', `role ${customRoleId} does not exist`);
    }
  }

  private checkGrantable(tenantId: string | null, permissions: readonly Permission[]): void {
    const global = permissions.filter((p) => GLOBAL_PERMISSIONS.includes(p));
    if (tenantId && global.length)
      throw apiError(403, 'BW_ERR_FORBIDDEN', `a tenant role may not hold ${global.join(', ')}`);
  }

  private async setBranches(id: string, tenantId: string | null, branchIds: string[]) {
    const unique = [...new Set(branchIds)];
    if (
      unique.length &&
      (!tenantId || (await this.roles.countTenantBranches(tenantId, unique)) !== unique.length)
    )
      throw notFound('BW_ERR_BRANCH_NOT_FOUND', 'a branch in branchIds does not exist');
    await this.roles.setBranches(id, unique);
  }
}

/**
 * A requester without branches would see every branch of the tenant (an empty branch scope is
 * the whole tenant, db/request-scope.ts): the role is for people of given branches.
 */
function requesterHasBranches(role: Role, branchIds: readonly string[]): void {
  if (role === 'requester' && !branchIds.length)
    throw apiError(
      400,
      'BW_ERR_VALIDATION',
      'branchIds: a requester works in at least one branch',
      {
        field: 'branchIds',
      },
    );
}

/** The built-in roles and the permission list, for the roles screen. */
export const BUILT_IN_ROLES = { permissions: PERMISSIONS, roles: ROLE_PERMISSIONS };
