import { apiError, notFound, rethrowDuplicate } from '../http/errors.js';
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

  async create(
    tenantId: string | null,
    values: { name: string; assignment: AssignmentStrategy; leadId: string | null },
  ) {
    if (values.leadId) await this.assertPerson(values.leadId, tenantId, 'leadId');
    return this.groups
      .create({ tenantId, ...values })
      .catch((err: unknown) => rethrowDuplicate(err, `a support group named ${values.name}`));
  }

  async update(
    id: string,
    tenantId: string | null,
    values: { name?: string; assignment?: AssignmentStrategy; leadId?: string | null },
  ) {
    const group = await this.visible(id, tenantId);
    if (values.leadId) await this.assertPerson(values.leadId, group.tenantId, 'leadId');
    await this.groups
      .update(id, values)
      .catch((err: unknown) => rethrowDuplicate(err, `a support group named ${values.name}`));
    return this.get(id, tenantId);
  }

  async remove(id: string, tenantId: string | null) {
    await this.visible(id, tenantId);
    await this.groups.remove(id);
  }

  async setMember(id: string, tenantId: string | null, userId: string, away: boolean) {
    const group = await this.visible(id, tenantId);
    await this.assertPerson(userId, group.tenantId);
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
  async nextAssignee(groupId: string, tenantId: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < TURN_ATTEMPTS; attempt++) {
      const group = await this.groups.findById(groupId);
      if (!group) return undefined;
      // Only people the ticket's tenant may be given to, whoever else the group holds.
      const members = await this.groups.members(groupId, tenantId);
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
  async escalationAssignee(
    groupId: string,
    current: string | null,
    tenantId: string,
  ): Promise<string | undefined> {
    const group = await this.groups.findById(groupId);
    if (!group) return undefined;
    // The sweep runs for every tenant at once (no row-level security): only people of the
    // ticket's tenant (or global ones) are candidates, the lead included.
    const members = await this.groups.members(groupId, tenantId);
    const lead = members.find((m) => m.userId === group.leadId);
    if (lead && lead.userId !== current && !lead.away) return lead.userId;
    const next = selectAssignee(
      'round_robin',
      members.map((m) => ({ userId: m.userId, away: m.away, load: 0 })),
      current,
    );
    return next !== current ? next : undefined;
  }

  /**
   * A lead or member must be a person the group's tickets may go to: of its tenant, or global.
   * Another tenant's user answers as one that does not exist.
   */
  private async assertPerson(userId: string, groupTenant: string | null, field?: string) {
    const person = await this.groups.tenantOfUser(userId);
    if (person && (!groupTenant || !person.tenantId || person.tenantId === groupTenant)) return;
    if (field)
      throw apiError(400, 'BW_ERR_VALIDATION', `${field}: user ${userId} does not exist`, {
        field,
      });
    throw notFound('BW_ERR_NOT_FOUND', `user ${userId} does not exist`);
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
