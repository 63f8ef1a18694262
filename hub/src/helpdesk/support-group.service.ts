import { notFound } from '../http/errors.js';
import { effectivePermissions } from '../identity/permissions.js';
import { selectAssignee, type AssignmentStrategy } from './assignment.js';
import type { SupportGroupRepository, SupportGroup } from './support-group.repository.js';
import type { TicketRepository } from './ticket.repository.js';

/** Up to this many tries when another assignment takes the same round-robin turn first. */
const TURN_ATTEMPTS = 5;

/** Support groups and automatic assignment within them (docs/tickets.md "Assignment"). */
export class SupportGroupService {
  constructor(
    private readonly groups: SupportGroupRepository,
    private readonly tickets: TicketRepository,
  ) {}

  list(tenantId: string | null) {
    return this.groups.list(tenantId);
  }

  /**
   * The people a ticket can go to: users who may work tickets (tickets.write), of the
   * tenant and global ones (docs/tickets.md "Assignment").
   */
  async assignees(tenantId: string | null) {
    const people = await this.groups.people(tenantId);
    return people
      .filter((p) =>
        effectivePermissions(p.role, p.customPermissions, p.tenantId).has('tickets.write'),
      )
      .map((p) => ({ id: p.id, username: p.username, role: p.role, tenantId: p.tenantId }));
  }

  async get(id: string, tenantId: string | null) {
    const group = await this.visible(id, tenantId);
    return { group, members: await this.groups.members(id) };
  }

  create(
    tenantId: string | null,
    values: { name: string; assignment: AssignmentStrategy; leadId: string | null },
  ) {
    return this.groups.create({ tenantId, ...values });
  }

  async update(
    id: string,
    tenantId: string | null,
    values: { name?: string; assignment?: AssignmentStrategy; leadId?: string | null },
  ) {
    await this.visible(id, tenantId);
    await this.groups.update(id, values);
    return this.get(id, tenantId);
  }

  async remove(id: string, tenantId: string | null) {
    await this.visible(id, tenantId);
    await this.groups.remove(id);
  }

  async setMember(id: string, tenantId: string | null, userId: string, away: boolean) {
    await this.visible(id, tenantId);
    await this.groups.setMember(id, userId, away);
    return this.get(id, tenantId);
  }

  async removeMember(id: string, tenantId: string | null, userId: string) {
    await this.visible(id, tenantId);
    if (!(await this.groups.removeMember(id, userId))) {
      throw notFound('BW_ERR_NOT_FOUND', `user ${userId} is not in group ${id}`);
    }
  }

  /**
   * The member who gets the group's next ticket under its strategy, skipping people who are
   * away; undefined for manual groups or when nobody is present.
   */
  async nextAssignee(groupId: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < TURN_ATTEMPTS; attempt++) {
      const group = await this.groups.findById(groupId);
      if (!group) return undefined;
      const members = await this.groups.members(groupId);
      const load = await this.tickets.activeLoad(members.map((m) => m.userId));
      const chosen = selectAssignee(
        group.assignment,
        members.map((m) => ({ userId: m.userId, away: m.away, load: load.get(m.userId) ?? 0 })),
        group.lastAssignedId,
      );
      if (!chosen) return undefined;
      if (await this.groups.takeTurn(groupId, group.lastAssignedId, chosen)) return chosen;
    }
    return undefined;
  }

  /**
   * Who an SLA "reassign" escalation hands a ticket to: the group's lead, unless the lead
   * already has it or is away, else the next member present after the current assignee.
   */
  async escalationAssignee(groupId: string, current: string | null): Promise<string | undefined> {
    const group = await this.groups.findById(groupId);
    if (!group) return undefined;
    const members = await this.groups.members(groupId);
    const lead = members.find((m) => m.userId === group.leadId);
    if (group.leadId && group.leadId !== current && !lead?.away) return group.leadId;
    const next = selectAssignee(
      'round_robin',
      members.map((m) => ({ userId: m.userId, away: m.away, load: 0 })),
      current,
    );
    return next !== current ? next : undefined;
  }

  async visible(id: string, tenantId: string | null): Promise<SupportGroup> {
    const group = await this.groups.findById(id);
    // A group without a tenant is shared by every tenant.
    if (!group || (tenantId && group.tenantId && group.tenantId !== tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `support group ${id} does not exist`);
    }
    return group;
  }
}
