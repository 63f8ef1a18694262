import { apiError, notFound } from '../http/errors.js';
import type { EventBus } from '../core/events.js';
import { CSV_BOM, csvRecord } from '../http/csv.js';
import { transitionProblem } from './workflow.js';
import { pressingClock, ticketView } from './ticket.views.js';
import type { Ticket, TicketEvent } from './ticket.model.js';
import type { BranchRepository } from '../fleet/branch.repository.js';
import type { TicketRelationsRepository } from './ticket-relations.repository.js';
import type {
  NewTicketEvent,
  TicketFilter,
  TicketPatch,
  TicketRepository,
} from './ticket.repository.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import type { SlaService, SlaSetup } from './sla/sla.service.js';
import type { SupportGroupService } from './support-group.service.js';
import type { SessionUser } from '../http/request-state.js';
import { ACTIVE_TICKET_STATES, type TicketPriority, type TicketState } from '@branchwatch/api';

export interface TicketChange {
  state?: TicketState;
  priority?: TicketPriority;
  category?: string | null;
  subject?: string;
  assigneeId?: string | null;
  groupId?: string | null;
  /** Pins an SLA policy by id; null returns the ticket to matching by conditions. */
  slaPolicyId?: string | null;
  requesterName?: string | null;
  requesterContact?: string | null;
  /**
   * Why an alert ticket is resolved or closed while its alert still fails; without one that
   * change is refused (409 BW_ERR_ALERT_STILL_FAILING), with one it is recorded on the change.
   */
  reason?: string;
}

export interface ChangeOptions {
  /** `If-Match`: the version the person saw; 412 BW_ERR_TICKET_CHANGED when it moved on. */
  expectedVersion?: number;
  /** Made by an automation rule: recorded without a person, naming the rule and its run. */
  automation?: AutomationActor;
}

/** The rule (and its run) behind a change (docs/automation.md "Why it matched"). */
export interface AutomationActor {
  ruleId: string;
  ruleName: string;
  runId: number;
}

export interface NewTicket {
  subject: string;
  body: string;
  priority: TicketPriority;
  category: string | null;
  branchId: string | null;
  groupId: string | null;
  assigneeId: string | null;
  requesterName: string | null;
  requesterContact: string | null;
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
  'requester',
  'requester_contact',
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

  /**
   * The SLA clock each ticket of a queue page needs attention for first (null: none left),
   * rebuilt from the page's histories, read in one query.
   */
  async dueOf(tickets: Ticket[], now = new Date()) {
    const active = tickets.filter((t) => ACTIVE_TICKET_STATES.includes(t.state));
    const histories = await this.tickets.eventsOf(active.map((t) => t.id));
    const setups = new Map<string, SlaSetup>();
    const due = new Map<string, ReturnType<typeof pressingClock>>();
    for (const ticket of active) {
      let setup = setups.get(ticket.tenantId);
      if (!setup) setups.set(ticket.tenantId, (setup = await this.sla.setupFor(ticket.tenantId)));
      const clocks = this.sla.clocks(setup, ticket, histories.get(ticket.id) ?? [], now);
      due.set(ticket.id, pressingClock(clocks));
    }
    return due;
  }

  async get(id: string, tenantId: string | null, now = new Date()) {
    const ticket = await this.visible(id, tenantId);
    const events = await this.tickets.events(id);
    return {
      ticket,
      events,
      labels: await this.labelsOf(events),
      tags: await this.relations.tags(id),
      watchers: await this.relations.watchers(id),
      links: await this.relations.links(id),
      attachments: await this.relations.attachments(id),
      clocks: await this.sla.clocksOf(ticket, events, now),
    };
  }

  /**
   * `branchScope`: the branches the user is limited to (empty: all). Such a user's ticket needs
   * one of them, as row-level security would refuse a ticket without a branch.
   */
  async open(
    user: SessionUser,
    input: NewTicket,
    branchScope: readonly string[] = [],
  ): Promise<Ticket> {
    if (branchScope.length && !input.branchId)
      throw apiError(400, 'BW_ERR_VALIDATION', 'branchId: required for a user of some branches', {
        field: 'branchId',
      });
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
   * without naming a person assigns by the group's strategy. With `expectedVersion` the change
   * applies only to that version of the ticket (optimistic locking, docs/tickets.md).
   */
  async change(
    id: string,
    user: SessionUser,
    input: TicketChange,
    options: ChangeOptions = {},
  ): Promise<Ticket> {
    const ticket = await this.visible(id, user.tenantId);
    const { expectedVersion, automation } = options;
    if (expectedVersion !== undefined && expectedVersion !== ticket.version) {
      throw changedSince(ticket, expectedVersion);
    }
    const at = new Date();
    const patch: TicketPatch = {};
    const events: NewTicketEvent[] = [];
    const record = (field: string, from: string | null, to: string | null) =>
      events.push({
        kind: 'change',
        field,
        oldValue: from,
        newValue: to,
        at,
        ...authorship(user, automation),
      });

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
      const ending = input.state === 'resolved' || input.state === 'closed';
      if (ending && ticket.source === 'alert') {
        const stillFailing = await this.stillFailing(ticket, input.reason);
        const last = events.at(-1)!;
        if (stillFailing)
          Object.assign(last, stillFailing, { data: { ...last.data, ...stillFailing.data } });
      }
    }
    for (const field of ['priority', 'category', 'subject'] as const) {
      const value = input[field];
      if (value === undefined || value === ticket[field]) continue;
      Object.assign(patch, { [field]: value });
      record(field, ticket[field], value);
    }
    for (const [field, name] of [
      ['requesterName', 'requester'],
      ['requesterContact', 'requester_contact'],
    ] as const) {
      const value = input[field];
      if (value === undefined || value === ticket[field]) continue;
      patch[field] = value;
      record(name, ticket[field], value);
    }
    let assigneeId = input.assigneeId;
    if (input.groupId !== undefined && input.groupId !== ticket.groupId) {
      if (input.groupId) await this.groups.visible(input.groupId, ticket.tenantId);
      patch.groupId = input.groupId;
      record('group', ticket.groupId, input.groupId);
      if (input.groupId && assigneeId === undefined) {
        assigneeId = (await this.groups.nextAssignee(input.groupId, ticket.tenantId)) ?? undefined;
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
    if (!(await this.tickets.change(id, patch, events, at, expectedVersion))) {
      // Someone else's change landed between the read above and this write.
      const now = await this.visible(id, user.tenantId);
      throw changedSince(now, expectedVersion!);
    }
    const changed = (await this.tickets.findById(id))!;
    await this.changed(changed);
    return changed;
  }

  /**
   * Ending an alert ticket while its check fails (or its agent is offline): refused without a
   * reason, since nothing will open a new ticket until the alert recovers and fails again; with
   * a reason, what the change event carries (the reason as its body, the alert in its data).
   */
  private async stillFailing(
    ticket: Ticket,
    reason: string | undefined,
  ): Promise<Pick<NewTicketEvent, 'body' | 'data'> | undefined> {
    const alert = await this.tickets.liveAlert(ticket.id);
    if (!alert?.failing) return undefined;
    const since = alert.since ? ` since ${alert.since.toISOString()}` : '';
    const what =
      alert.kind === 'agent'
        ? `the agent ${alert.name} is still offline${since}`
        : `the check ${alert.name} is still failing${since}`;
    if (!reason?.trim()) {
      throw apiError(
        409,
        'BW_ERR_ALERT_STILL_FAILING',
        `${what}: say why in "reason" to end the ticket anyway`,
        { alert: alert.kind, name: alert.name, since: alert.since, field: 'reason' },
      );
    }
    return {
      body: reason.trim(),
      data: { stillFailing: { alert: alert.kind, name: alert.name, since: alert.since } },
    };
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

  async addTag(
    id: string,
    user: SessionUser,
    tag: string,
    automation?: AutomationActor,
  ): Promise<boolean> {
    await this.visible(id, user.tenantId);
    if (!(await this.relations.addTag(id, tag))) return false;
    await this.recordChange(id, user, 'tag', null, tag, automation);
    return true;
  }

  async removeTag(
    id: string,
    user: SessionUser,
    tag: string,
    automation?: AutomationActor,
  ): Promise<void> {
    await this.visible(id, user.tenantId);
    if (!(await this.relations.removeTag(id, tag))) {
      throw notFound('BW_ERR_NOT_FOUND', `ticket ${id} has no tag "${tag}"`);
    }
    await this.recordChange(id, user, 'tag', tag, null, automation);
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
  /**
   * The filtered queue as RFC 4180 CSV, one page at a time. The answer streams after the
   * request's transaction has ended, so each page is read in a scope of its own (`inScope`):
   * row-level security (tenant and branches) holds for every page, and no connection waits
   * on a slow client between pages.
   */
  async *exportCsv(
    user: SessionUser,
    filter: Omit<TicketFilter, 'tenantId' | 'limit' | 'offset'>,
    inScope: <T>(work: () => Promise<T>) => Promise<T>,
  ) {
    yield CSV_BOM + csvRecord(CSV_HEADER);
    for (let offset = 0; offset < EXPORT_MAX; offset += EXPORT_PAGE) {
      const page = await inScope(() => this.exportPage(user, filter, offset));
      yield page.csv;
      if (page.rows < EXPORT_PAGE) break;
    }
  }

  private async exportPage(
    user: SessionUser,
    filter: Omit<TicketFilter, 'tenantId' | 'limit' | 'offset'>,
    offset: number,
  ) {
    const rows = await this.exportRows(user, filter, offset, EXPORT_PAGE);
    let chunk = '';
    for (const r of rows) {
      chunk += csvRecord([
        r.number,
        r.subject,
        r.state,
        r.priority,
        r.category,
        r.source,
        r.requesterName,
        r.requesterContact,
        r.branch,
        r.assignee,
        r.group,
        r.tags.join(' '),
        r.openedAt,
        r.resolvedAt,
      ]);
    }
    return { csv: chunk, rows: rows.length };
  }

  /**
   * One page of the filtered queue as the exports write it: the ticket's fields with the names
   * of its branch, assignee and group, and its tags (CSV here, Excel and PDF in reports/).
   */
  async exportRows(
    user: SessionUser,
    filter: Omit<TicketFilter, 'tenantId' | 'limit' | 'offset'>,
    offset: number,
    limit: number,
  ) {
    const page = await this.list(user, { ...filter, limit, offset });
    const labels = await this.relations.labels({
      branches: page.flatMap((t) => (t.branchId ? [t.branchId] : [])),
      users: page.flatMap((t) => (t.assigneeId ? [t.assigneeId] : [])),
      groups: page.flatMap((t) => (t.groupId ? [t.groupId] : [])),
    });
    const rows = [];
    for (const t of page) {
      rows.push({
        number: t.number,
        subject: t.subject,
        state: t.state,
        priority: t.priority,
        category: t.category,
        source: t.source,
        requesterName: t.requesterName,
        requesterContact: t.requesterContact,
        branch: (t.branchId && labels.branches.get(t.branchId)) || null,
        assignee: (t.assigneeId && labels.users.get(t.assigneeId)) || null,
        group: (t.groupId && labels.groups.get(t.groupId)) || null,
        tags: await this.relations.tags(t.id),
        openedAt: t.openedAt,
        resolvedAt: t.resolvedAt,
      });
    }
    return rows;
  }

  /** The names of a ticket's branch, assignee and group (a ticket exported on its own). */
  async namesOf(t: Ticket) {
    const labels = await this.relations.labels({
      branches: t.branchId ? [t.branchId] : [],
      users: t.assigneeId ? [t.assigneeId] : [],
      groups: t.groupId ? [t.groupId] : [],
    });
    return {
      branch: (t.branchId && labels.branches.get(t.branchId)) || null,
      assignee: (t.assigneeId && labels.users.get(t.assigneeId)) || null,
      group: (t.groupId && labels.groups.get(t.groupId)) || null,
    };
  }

  /** Names of the people, groups and SLA policies a history's changes refer to by id. */
  private async labelsOf(events: readonly TicketEvent[]): Promise<Map<string, string>> {
    const ids = (field: string) =>
      events
        .filter((e) => e.kind === 'change' && e.field === field)
        .flatMap((e) => [e.oldValue, e.newValue])
        .filter((v): v is string => v !== null);
    const found = await this.relations.labels({
      branches: [],
      users: ids('assignee'),
      groups: ids('group'),
      policies: ids('sla_policy'),
    });
    return new Map([...found.users, ...found.groups, ...found.policies]);
  }

  /** A ticket by its number (the Telegram bot's commands), 404 like a missing one. */
  async byNumber(number: number, tenantId: string | null): Promise<Ticket> {
    const ticket = await this.tickets.findByNumber(number);
    if (!ticket || (tenantId && ticket.tenantId !== tenantId)) {
      throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket #${number} does not exist`);
    }
    return ticket;
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
    automation?: AutomationActor,
  ) {
    const at = new Date();
    await this.tickets.record(
      id,
      [{ kind: 'change', field, oldValue, newValue, at, ...authorship(user, automation) }],
      at,
    );
    const ticket = await this.tickets.findById(id);
    if (ticket) await this.changed(ticket);
  }

  changed(ticket: Ticket) {
    return this.events.emit('ticket.changed', {
      ticketId: ticket.id,
      tenantId: ticket.tenantId,
      branchId: ticket.branchId,
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

/** 412: the ticket is no longer at the version the person saw; here is how it is now. */
function changedSince(ticket: Ticket, expected: number) {
  return apiError(
    412,
    'BW_ERR_TICKET_CHANGED',
    `ticket #${ticket.number} changed since version ${expected} (now ${ticket.version}): ` +
      'read it again and repeat the change',
    { version: ticket.version, ticket: ticketView(ticket) },
  );
}

/** A person's change names them; a rule's names no person and carries the rule and its run. */
export function authorship(user: SessionUser, automation: AutomationActor | undefined) {
  return automation
    ? { authorId: null, data: { automation } as Record<string, unknown> }
    : { authorId: user.id };
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
