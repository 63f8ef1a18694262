import { apiError, notFound } from '../http/errors.js';
import type { EventBus } from '../core/events.js';
import { csvRecord } from './csv.js';
import { transitionProblem } from './workflow.js';
import type { Ticket } from './ticket.model.js';
import type { BranchRepository } from '../fleet/branch.repository.js';
import type { TicketRelationsRepository } from './ticket-relations.repository.js';
import type {
  NewTicketEvent,
  TicketFilter,
  TicketPatch,
  TicketRepository,
} from './ticket.repository.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import type { SlaService } from './sla/sla.service.js';
import type { SupportGroupService } from './support-group.service.js';
import type { SessionUser } from '../http/request-state.js';
import type { TicketPriority, TicketState } from '@branchwatch/api';

export interface TicketChange {
  state?: TicketState;
  priority?: TicketPriority;
  category?: string | null;
  subject?: string;
  assigneeId?: string | null;
  groupId?: string | null;
  /** Pins an SLA policy by id; null returns the ticket to matching by conditions. */
  slaPolicyId?: string | null;
}

export interface NewTicket {
  subject: string;
  body: string;
  priority: TicketPriority;
  category: string | null;
  branchId: string | null;
  groupId: string | null;
  assigneeId: string | null;
}

export type BulkAction =
  | { action: 'assign'; assigneeId?: string | null; groupId?: string | null }
  | { action: 'state'; state: TicketState }
  | { action: 'tag'; tag: string };

const EXPORT_PAGE = 1000;
const EXPORT_MAX = 100_000;
const CSV_HEADER = [
  'number',
  'subject',
  'state',
  'priority',
  'category',
  'source',
  'branch',
  'assignee',
  'group',
  'tags',
  'opened_at',
  'resolved_at',
];

/** Tickets: the queue, opening, changing with history, bulk actions and export. */
export class TicketService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly relations: TicketRelationsRepository,
    private readonly branches: BranchRepository,
    private readonly groups: SupportGroupService,
    private readonly sla: SlaService,
    private readonly events: EventBus,
    /** Deleting a ticket is a sensitive action and goes to the audit log. */
    private readonly audit?: AuditService,
  ) {}

  list(user: SessionUser, filter: Omit<TicketFilter, 'tenantId'>) {
    return this.tickets.list({ ...filter, tenantId: user.tenantId });
  }

  async get(id: string, tenantId: string | null, now = new Date()) {
    const ticket = await this.visible(id, tenantId);
    const events = await this.tickets.events(id);
    return {
      ticket,
      events,
      tags: await this.relations.tags(id),
      watchers: await this.relations.watchers(id),
      links: await this.relations.links(id),
      attachments: await this.relations.attachments(id),
      clocks: await this.sla.clocksOf(ticket, events, now),
    };
  }

  async open(user: SessionUser, input: NewTicket): Promise<Ticket> {
    const tenantId = await this.tenantFor(user, input.branchId);
    if (input.groupId) await this.groups.visible(input.groupId, tenantId);
    const at = new Date();
    const ticket = await this.tickets.openForPerson({ ...input, tenantId, createdBy: user.id, at });
    await this.relations.addWatcher(ticket.id, user.id);
    if (input.groupId || input.assigneeId) {
      await this.change(ticket.id, user, {
        groupId: input.groupId,
        // No person named: the group's strategy picks one.
        assigneeId: input.assigneeId ?? undefined,
      });
    } else await this.changed(ticket);
    return (await this.tickets.findById(ticket.id))!;
  }

  /**
   * Changes fields and records each change with its old and new value. Moving into a group
   * without naming a person assigns by the group's strategy.
   */
  async change(id: string, user: SessionUser, input: TicketChange): Promise<Ticket> {
    const ticket = await this.visible(id, user.tenantId);
    const at = new Date();
    const patch: TicketPatch = {};
    const events: NewTicketEvent[] = [];
    const record = (field: string, from: string | null, to: string | null) =>
      events.push({ kind: 'change', field, oldValue: from, newValue: to, authorId: user.id, at });

    if (input.state !== undefined && input.state !== ticket.state) {
      const problem = transitionProblem(ticket.state, input.state);
      if (problem)
        throw apiError(409, 'BW_ERR_TICKET_TRANSITION', problem, {
          from: ticket.state,
          to: input.state,
        });
      patch.state = input.state;
      if (input.state === 'resolved') patch.resolvedAt = at;
      else if (ticket.state === 'resolved' && input.state !== 'closed') patch.resolvedAt = null;
      record('state', ticket.state, input.state);
    }
    for (const field of ['priority', 'category', 'subject'] as const) {
      const value = input[field];
      if (value === undefined || value === ticket[field]) continue;
      Object.assign(patch, { [field]: value });
      record(field, ticket[field], value);
    }
    let assigneeId = input.assigneeId;
    if (input.groupId !== undefined && input.groupId !== ticket.groupId) {
      if (input.groupId) await this.groups.visible(input.groupId, ticket.tenantId);
      patch.groupId = input.groupId;
      record('group', ticket.groupId, input.groupId);
      if (input.groupId && assigneeId === undefined) {
        assigneeId = (await this.groups.nextAssignee(input.groupId)) ?? undefined;
      }
    }
    if (assigneeId !== undefined && assigneeId !== ticket.assigneeId) {
      if (assigneeId) await this.assertPerson(assigneeId, ticket.tenantId);
      patch.assigneeId = assigneeId;
      record('assignee', ticket.assigneeId, assigneeId);
    }
    if (input.slaPolicyId !== undefined) {
      if (input.slaPolicyId) await this.sla.visiblePolicy(input.slaPolicyId, ticket.tenantId);
      const pinned = (await this.tickets.events(id))
        .filter((e) => e.kind === 'change' && e.field === 'sla_policy')
        .at(-1)?.newValue;
      if ((pinned ?? null) !== input.slaPolicyId) {
        record('sla_policy', pinned ?? null, input.slaPolicyId);
      }
    }
    if (events.length === 0) return ticket;
    await this.tickets.change(id, patch, events, at);
    const changed = (await this.tickets.findById(id))!;
    await this.changed(changed);
    return changed;
  }

  /** Applies one action to many tickets; each ticket succeeds or fails on its own. */
  async bulk(user: SessionUser, ids: string[], action: BulkAction) {
    const results = [];
    for (const id of ids) {
      try {
        if (action.action === 'state') await this.change(id, user, { state: action.state });
        else if (action.action === 'assign') {
          await this.change(id, user, { assigneeId: action.assigneeId, groupId: action.groupId });
        } else await this.addTag(id, user, action.tag);
        results.push({ id, ok: true as const });
      } catch (err) {
        const e = err as { status?: number; code?: string; message: string };
        if (!e.status || e.status >= 500) throw err;
        results.push({ id, ok: false as const, error: { code: e.code, message: e.message } });
      }
    }
    return results;
  }

  async addTag(id: string, user: SessionUser, tag: string): Promise<boolean> {
    await this.visible(id, user.tenantId);
    if (!(await this.relations.addTag(id, tag))) return false;
    await this.recordChange(id, user, 'tag', null, tag);
    return true;
  }

  async removeTag(id: string, user: SessionUser, tag: string): Promise<void> {
    await this.visible(id, user.tenantId);
    if (!(await this.relations.removeTag(id, tag))) {
      throw notFound('BW_ERR_NOT_FOUND', `ticket ${id} has no tag "${tag}"`);
    }
    await this.recordChange(id, user, 'tag', tag, null);
  }

  /**
   * Deletes a ticket and its history for good, with an audit entry that keeps what it was.
   * Route: `DELETE /api/v1/tickets/:id` (permission tickets.delete).
   */
  async remove(id: string, user: SessionUser): Promise<void> {
    const ticket = await this.visible(id, user.tenantId);
    if (!(await this.tickets.remove(id))) {
      throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${id} does not exist`);
    }
    await this.audit?.record({
      action: 'ticket.deleted',
      actor: user,
      target: `ticket:${id}`,
      tenantId: ticket.tenantId,
      details: { before: ticketSnapshot(ticket) },
    });
    // Open queues and pages drop it; notifications find nothing left to send.
    await this.changed(ticket);
  }

  /** The filtered queue as RFC 4180 CSV, one page at a time. */
  async *exportCsv(user: SessionUser, filter: Omit<TicketFilter, 'tenantId' | 'limit' | 'offset'>) {
    yield csvRecord(CSV_HEADER);
    for (let offset = 0; offset < EXPORT_MAX; offset += EXPORT_PAGE) {
      const page = await this.list(user, { ...filter, limit: EXPORT_PAGE, offset });
      const labels = await this.relations.labels({
        branches: page.flatMap((t) => (t.branchId ? [t.branchId] : [])),
        users: page.flatMap((t) => (t.assigneeId ? [t.assigneeId] : [])),
        groups: page.flatMap((t) => (t.groupId ? [t.groupId] : [])),
      });
      let chunk = '';
      for (const t of page) {
        chunk += csvRecord([
          t.number,
          t.subject,
          t.state,
          t.priority,
          t.category,
          t.source,
          t.branchId ? labels.branches.get(t.branchId) : null,
          t.assigneeId ? labels.users.get(t.assigneeId) : null,
          t.groupId ? labels.groups.get(t.groupId) : null,
          (await this.relations.tags(t.id)).join(' '),
          t.openedAt,
          t.resolvedAt,
        ]);
      }
      yield chunk;
      if (page.length < EXPORT_PAGE) break;
    }
  }

  async visible(id: string, tenantId: string | null): Promise<Ticket> {
    const ticket = await this.tickets.findById(id);
    if (!ticket || (tenantId && ticket.tenantId !== tenantId)) {
      throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${id} does not exist`);
    }
    return ticket;
  }

  async recordChange(
    id: string,
    user: SessionUser,
    field: string,
    oldValue: string | null,
    newValue: string | null,
  ) {
    const at = new Date();
    await this.tickets.record(
      id,
      [{ kind: 'change', field, oldValue, newValue, authorId: user.id, at }],
      at,
    );
    const ticket = await this.tickets.findById(id);
    if (ticket) await this.changed(ticket);
  }

  changed(ticket: Ticket) {
    return this.events.emit('ticket.changed', {
      ticketId: ticket.id,
      tenantId: ticket.tenantId,
      at: new Date(),
    });
  }

  /** A ticket belongs to its branch's tenant, else to the tenant of the person opening it. */
  private async tenantFor(user: SessionUser, branchId: string | null): Promise<string> {
    if (branchId) {
      const branch = await this.branches.findById(branchId);
      if (!branch || (user.tenantId && branch.tenantId !== user.tenantId)) {
        throw apiError(400, 'BW_ERR_VALIDATION', `branchId: branch ${branchId} does not exist`, {
          field: 'branchId',
        });
      }
      return branch.tenantId;
    }
    if (user.tenantId) return user.tenantId;
    throw apiError(400, 'BW_ERR_VALIDATION', 'branchId: required for users of every tenant', {
      field: 'branchId',
    });
  }

  private async assertPerson(userId: string, tenantId: string): Promise<void> {
    const person = await this.relations.person(userId);
    if (!person || (person.tenantId && person.tenantId !== tenantId)) {
      throw apiError(400, 'BW_ERR_VALIDATION', `assigneeId: user ${userId} does not exist`, {
        field: 'assigneeId',
      });
    }
  }
}

/** What an audit entry keeps of a deleted ticket: its identity and state, not its conversation. */
const ticketSnapshot = (t: Ticket) => ({
  number: t.number,
  subject: t.subject,
  state: t.state,
  priority: t.priority,
  source: t.source,
  category: t.category,
  branchId: t.branchId,
  assigneeId: t.assigneeId,
  groupId: t.groupId,
  openedAt: t.openedAt,
  resolvedAt: t.resolvedAt,
});
