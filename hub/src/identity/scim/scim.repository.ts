import type { Database } from '../../db/database.js';

/** A person as SCIM sees them (migration 025). */
export interface ScimUserRow {
  id: string;
  tenantId: string;
  username: string;
  externalId: string | null;
  attributes: ScimUserAttributes;
  disabled: boolean;
  provisionedBy: string | null;
  deleted: boolean;
  createdAt: Date;
  updatedAt: Date | null;
}

/** What SCIM sends beside userName, active and externalId, kept as it came. */
export interface ScimUserAttributes {
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: { value: string; type?: string; primary?: boolean }[];
}

export interface ScimGroupRow {
  id: string;
  tenantId: string;
  displayName: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const USER_COLUMNS = [
  'id',
  'tenant_id',
  'username',
  'external_id',
  'scim_attributes',
  'disabled_at',
  'provisioned_by',
  'scim_deleted_at',
  'created_at',
  'updated_at',
];

const toUser = (r: Record<string, unknown>): ScimUserRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  username: r.username as string,
  externalId: (r.external_id as string | null) ?? null,
  attributes: (r.scim_attributes as ScimUserAttributes | null) ?? {},
  disabled: r.disabled_at !== null,
  provisionedBy: (r.provisioned_by as string | null) ?? null,
  deleted: r.scim_deleted_at !== null,
  createdAt: r.created_at as Date,
  updatedAt: (r.updated_at as Date | null) ?? null,
});

const toGroup = (r: Record<string, unknown>): ScimGroupRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  displayName: r.display_name as string,
  externalId: (r.external_id as string | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

/**
 * SCIM's tokens, people and groups. Runs inside the token's tenant scope (row-level security),
 * and filters by tenant as well: the token lookup runs before any scope.
 */
export class ScimRepository {
  constructor(private readonly db: Database) {}

  // Tokens

  async createToken(tenantId: string, name: string, tokenHash: string) {
    const [row] = await this.db('scim_tokens')
      .insert({ tenant_id: tenantId, name, token_hash: tokenHash })
      .returning(['id', 'name', 'created_at']);
    return { id: row.id as string, name: row.name as string, createdAt: row.created_at as Date };
  }

  async listTokens(tenantId: string | null) {
    const q = this.db('scim_tokens').whereNull('revoked_at').orderBy('created_at', 'desc');
    if (tenantId) q.where({ tenant_id: tenantId });
    const rows = await q.select('id', 'tenant_id', 'name', 'created_at', 'last_used_at');
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      name: r.name as string,
      createdAt: r.created_at as Date,
      lastUsedAt: (r.last_used_at as Date | null) ?? null,
    }));
  }

  async revokeToken(id: string, tenantId: string | null): Promise<string | undefined> {
    const q = this.db('scim_tokens').where({ id }).whereNull('revoked_at');
    if (tenantId) q.where({ tenant_id: tenantId });
    const [row] = await q.update({ revoked_at: new Date() }).returning('tenant_id');
    return row?.tenant_id as string | undefined;
  }

  /** The tenant of a live token, marking its use (at most once a minute). */
  async tenantOfToken(tokenHash: string, now: Date): Promise<string | undefined> {
    const row = await this.db('scim_tokens')
      .where({ token_hash: tokenHash })
      .whereNull('revoked_at')
      .first('id', 'tenant_id', 'last_used_at');
    if (!row) return undefined;
    const last = row.last_used_at as Date | null;
    if (!last || now.getTime() - last.getTime() > 60_000)
      await this.db('scim_tokens').where({ id: row.id }).update({ last_used_at: now });
    return row.tenant_id as string;
  }

  // People

  async findUser(tenantId: string, id: string): Promise<ScimUserRow | undefined> {
    const row = await this.db('users')
      .where({ id, tenant_id: tenantId })
      .whereNull('scim_deleted_at')
      .first(USER_COLUMNS);
    return row ? toUser(row) : undefined;
  }

  /** Any user of that name in the whole hub (names are unique across tenants). */
  async findUserByName(username: string): Promise<ScimUserRow | undefined> {
    const row = await this.db('users')
      .whereRaw('lower(username) = lower(?)', [username])
      .first(USER_COLUMNS);
    return row ? toUser(row) : undefined;
  }

  async listUsers(
    tenantId: string,
    where: { username?: string; externalId?: string },
    page: { offset: number; limit: number },
  ): Promise<{ total: number; rows: ScimUserRow[] }> {
    const q = this.db('users').where({ tenant_id: tenantId }).whereNull('scim_deleted_at');
    if (where.username !== undefined) q.whereRaw('lower(username) = lower(?)', [where.username]);
    if (where.externalId !== undefined) q.where({ external_id: where.externalId });
    const [counted] = await q.clone().count<{ n: string }[]>('* as n');
    const rows = await q
      .orderBy('created_at')
      .offset(page.offset)
      .limit(page.limit)
      .select(USER_COLUMNS);
    return { total: Number(counted?.n ?? 0), rows: rows.map(toUser) };
  }

  async insertUser(u: {
    tenantId: string;
    username: string;
    passwordHash: string;
    externalId: string | null;
    attributes: ScimUserAttributes;
    disabled: boolean;
  }): Promise<string> {
    const now = new Date();
    const [row] = await this.db('users')
      .insert({
        tenant_id: u.tenantId,
        username: u.username,
        password_hash: u.passwordHash,
        role: 'viewer',
        external_id: u.externalId,
        scim_attributes: JSON.stringify(u.attributes),
        provisioned_by: 'scim',
        disabled_at: u.disabled ? now : null,
        updated_at: now,
      })
      .returning('id');
    return row.id as string;
  }

  async updateUser(
    id: string,
    change: {
      username?: string;
      externalId?: string | null;
      attributes?: ScimUserAttributes;
      disabled?: boolean;
      deleted?: boolean;
    },
  ): Promise<void> {
    const now = new Date();
    await this.db('users')
      .where({ id })
      .update({
        ...(change.username !== undefined ? { username: change.username } : {}),
        ...(change.externalId !== undefined ? { external_id: change.externalId } : {}),
        ...(change.attributes !== undefined
          ? { scim_attributes: JSON.stringify(change.attributes) }
          : {}),
        ...(change.disabled !== undefined
          ? { disabled_at: change.disabled ? this.db.raw('coalesce(disabled_at, ?)', [now]) : null }
          : {}),
        ...(change.deleted !== undefined ? { scim_deleted_at: change.deleted ? now : null } : {}),
        updated_at: now,
      });
  }

  // Groups

  async groupsOfUser(userId: string): Promise<{ id: string; displayName: string }[]> {
    const rows = await this.db('scim_group_members as m')
      .join('scim_groups as g', 'g.id', 'm.group_id')
      .where('m.user_id', userId)
      .orderBy('g.display_name')
      .select('g.id', 'g.display_name');
    return rows.map((r: Record<string, string>) => ({ id: r.id!, displayName: r.display_name! }));
  }

  async findGroup(tenantId: string, id: string): Promise<ScimGroupRow | undefined> {
    const row = await this.db('scim_groups').where({ id, tenant_id: tenantId }).first();
    return row ? toGroup(row) : undefined;
  }

  async listGroups(
    tenantId: string,
    where: { displayName?: string; externalId?: string },
    page: { offset: number; limit: number },
  ): Promise<{ total: number; rows: ScimGroupRow[] }> {
    const q = this.db('scim_groups').where({ tenant_id: tenantId });
    if (where.displayName !== undefined)
      q.whereRaw('lower(display_name) = lower(?)', [where.displayName]);
    if (where.externalId !== undefined) q.where({ external_id: where.externalId });
    const [counted] = await q.clone().count<{ n: string }[]>('* as n');
    const rows = await q.orderBy('created_at').offset(page.offset).limit(page.limit);
    return { total: Number(counted?.n ?? 0), rows: rows.map(toGroup) };
  }

  async insertGroup(tenantId: string, displayName: string, externalId: string | null) {
    const [row] = await this.db('scim_groups')
      .insert({ tenant_id: tenantId, display_name: displayName, external_id: externalId })
      .returning('id');
    return row.id as string;
  }

  async updateGroup(id: string, change: { displayName?: string; externalId?: string | null }) {
    await this.db('scim_groups')
      .where({ id })
      .update({
        ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
        ...(change.externalId !== undefined ? { external_id: change.externalId } : {}),
        updated_at: new Date(),
      });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db('scim_groups').where({ id }).delete();
  }

  async members(groupId: string): Promise<{ id: string; username: string }[]> {
    const rows = await this.db('scim_group_members as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where('m.group_id', groupId)
      .whereNull('u.scim_deleted_at')
      .orderBy('u.username')
      .select('u.id', 'u.username');
    return rows.map((r: Record<string, string>) => ({ id: r.id!, username: r.username! }));
  }

  /** How many of `ids` are live people of the tenant. */
  async countTenantUsers(tenantId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [counted] = await this.db('users')
      .where({ tenant_id: tenantId })
      .whereIn('id', ids)
      .whereNull('scim_deleted_at')
      .count<{ n: string }[]>('* as n');
    return Number(counted?.n ?? 0);
  }

  async addMembers(groupId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.db('scim_group_members')
      .insert(userIds.map((user_id) => ({ group_id: groupId, user_id })))
      .onConflict(['group_id', 'user_id'])
      .ignore();
  }

  async removeMembers(groupId: string, userIds: readonly string[] | 'all'): Promise<void> {
    const q = this.db('scim_group_members').where({ group_id: groupId });
    if (userIds !== 'all') q.whereIn('user_id', userIds);
    await q.delete();
  }
}
