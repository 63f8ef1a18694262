import type { Database } from '../db/database.js';
import type { Role } from '@branchwatch/api';
import type { AssignmentStrategy } from './assignment.js';

export interface SupportGroup {
  id: string;
  tenantId: string | null;
  name: string;
  assignment: AssignmentStrategy;
  leadId: string | null;
  lastAssignedId: string | null;
}

/** A user as the desk's pickers show them. */
export interface Person {
  id: string;
  username: string;
  role: Role;
  tenantId: string | null;
  /** A custom role's permissions, which replace the built-in role's. */
  customPermissions: string[] | null;
}

export interface GroupMember {
  userId: string;
  username: string;
  away: boolean;
}

const groupView = (r: Record<string, unknown>): SupportGroup => ({
  id: r.id as string,
  tenantId: r.tenant_id as string | null,
  name: r.name as string,
  assignment: r.assignment as AssignmentStrategy,
  leadId: r.lead_id as string | null,
  lastAssignedId: r.last_assigned_id as string | null,
});

/** Support groups, their members (with the `away` flag) and whose turn it is. */
export class SupportGroupRepository {
  constructor(private readonly db: Database) {}

  /** The tenant's groups and the shared ones (no tenant), which every tenant may use. */
  async list(tenantId: string | null): Promise<SupportGroup[]> {
    const rows = await this.db('support_groups')
      .modify((q) => {
        if (tenantId) q.where((w) => w.where('tenant_id', tenantId).orWhereNull('tenant_id'));
      })
      .orderBy('name');
    return rows.map(groupView);
  }

  /** Users who can sign in, of the tenant and without one (global), by username. */
  async people(tenantId: string | null): Promise<Person[]> {
    const rows = await this.db('users as u')
      .leftJoin('roles as r', 'r.id', 'u.custom_role_id')
      .whereNull('u.disabled_at')
      .modify((q) => {
        if (tenantId) q.where((w) => w.where('u.tenant_id', tenantId).orWhereNull('u.tenant_id'));
      })
      .orderBy('u.username')
      .select('u.id', 'u.username', 'u.role', 'u.tenant_id', 'r.permissions');
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      username: r.username as string,
      role: r.role as Role,
      tenantId: r.tenant_id as string | null,
      customPermissions: (r.permissions as string[] | null) ?? null,
    }));
  }

  /** A user's tenant (null: global); undefined when the user does not exist or is not visible. */
  async tenantOfUser(userId: string): Promise<{ tenantId: string | null } | undefined> {
    const row = await this.db('users').where({ id: userId }).first('tenant_id');
    return row ? { tenantId: (row.tenant_id as string | null) ?? null } : undefined;
  }

  async findById(id: string): Promise<SupportGroup | undefined> {
    const row = await this.db('support_groups').where({ id }).first();
    return row ? groupView(row) : undefined;
  }

  async create(values: Omit<SupportGroup, 'id' | 'lastAssignedId'>): Promise<SupportGroup> {
    const [row] = await this.db('support_groups')
      .insert({
        tenant_id: values.tenantId,
        name: values.name,
        assignment: values.assignment,
        lead_id: values.leadId,
      })
      .returning('*');
    return groupView(row);
  }

  async update(id: string, values: Partial<Pick<SupportGroup, 'name' | 'assignment' | 'leadId'>>) {
    await this.db('support_groups')
      .where({ id })
      .update({
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.assignment !== undefined ? { assignment: values.assignment } : {}),
        ...(values.leadId !== undefined ? { lead_id: values.leadId } : {}),
      });
  }

  async remove(id: string): Promise<void> {
    await this.db('support_groups').where({ id }).delete();
  }

  /** Members in the group's fixed turn order (by username). */
  /**
   * The group's members; with `forTenant`, only those a ticket of that tenant may go to: its
   * own users and global ones, not disabled (a shared group may hold several tenants' people).
   */
  async members(groupId: string, forTenant?: string): Promise<GroupMember[]> {
    const rows = await this.db('group_members as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where('m.group_id', groupId)
      .modify((q) => {
        if (forTenant === undefined) return;
        q.whereNull('u.disabled_at').andWhere((w) =>
          w.where('u.tenant_id', forTenant).orWhereNull('u.tenant_id'),
        );
      })
      .orderBy('u.username')
      .select('m.user_id', 'u.username', 'm.away');
    return rows.map((r: { user_id: string; username: string; away: boolean }) => ({
      userId: r.user_id,
      username: r.username,
      away: r.away,
    }));
  }

  async setMember(groupId: string, userId: string, away: boolean): Promise<void> {
    await this.db('group_members')
      .insert({ group_id: groupId, user_id: userId, away })
      .onConflict(['group_id', 'user_id'])
      .merge({ away });
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return (
      (await this.db('group_members').where({ group_id: groupId, user_id: userId }).delete()) > 0
    );
  }

  /**
   * Moves the round-robin turn to `userId` if it still is `expected`: two tickets assigned at
   * once cannot both take the same turn. False when someone else moved it first.
   */
  async takeTurn(groupId: string, expected: string | null, userId: string): Promise<boolean> {
    const updated = await this.db('support_groups')
      .where({ id: groupId })
      .modify((q) => {
        if (expected === null) q.whereNull('last_assigned_id');
        else q.where('last_assigned_id', expected);
      })
      .update({ last_assigned_id: userId });
    return updated === 1;
  }
}
