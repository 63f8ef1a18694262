import type { WorkingWeek } from '@branchwatch/sla';
import { apiError, notFound } from '../http/errors.js';
import { isTimeZone } from '../core/time-zone.js';
import type { AlertTicketRepository } from './alert-ticket.repository.js';
import type { AlertConfigRepository, ParentLink } from './alert-config.repository.js';
import type { AlertPolicy } from './alert-policy.js';
import type { IncidentRepository } from './incident.repository.js';
import { validateWeekly, type WindowScope } from './maintenance.js';
import { validateRecurrence, type Recurrence } from './recurrence.js';
import type { Criticality, Priority } from './priority.js';
import type { RuleScope, RuleSet } from './rules.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import type { SessionUser } from '../http/request-state.js';

export type RuleInput = Omit<RuleSet, 'tenantId'>;

export interface WindowInput {
  scope: WindowScope;
  scopeId: string;
  reason: string;
  startsAt: Date | null;
  endsAt: Date | null;
  weekly: WorkingWeek | null;
  recurrence: Recurrence | null;
  zone: string | null;
}

/** What admins manage about alerts (docs/alerts.md), each confined to the user's tenant. */
export class AlertService {
  constructor(
    private readonly config: AlertConfigRepository,
    private readonly incidents: IncidentRepository,
    private readonly tickets: AlertTicketRepository,
    private readonly policy: AlertPolicy,
  ) {}

  defaults() {
    return {
      thresholds: DEFAULT_THRESHOLDS,
      hysteresis: this.policy.defaults.hysteresis,
      flap: this.policy.defaults.flap,
    };
  }

  listRules(user: SessionUser) {
    return this.config.listRules(user.tenantId);
  }

  async putRule(user: SessionUser, input: RuleInput): Promise<RuleSet> {
    const tenantId = await this.tenantOf(user, input.scope, input.scopeId);
    const rule = { ...input, tenantId, checkType: input.scope === 'check' ? '*' : input.checkType };
    await this.config.putRule(rule);
    await this.policy.reload();
    return rule;
  }

  async deleteRule(user: SessionUser, scope: RuleScope, scopeId: string, checkType: string) {
    await this.tenantOf(user, scope, scopeId);
    if (!(await this.config.deleteRule(scope, scopeId, checkType))) {
      throw notFound('BW_ERR_NOT_FOUND', 'no such rule set');
    }
    await this.policy.reload();
  }

  /** The merged policy one check runs under, with every layer applied. */
  async effective(user: SessionUser, checkId: string) {
    const check = await this.incidents.findCheck(checkId);
    if (!check || (user.tenantId && check.tenantId !== user.tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `check ${checkId} does not exist`);
    }
    return this.policy.policyFor(check);
  }

  listWindows(user: SessionUser) {
    return this.config.listWindows(user.tenantId);
  }

  async createWindow(user: SessionUser, input: WindowInput) {
    const tenantId = await this.tenantOf(user, input.scope, input.scopeId);
    if (input.weekly) {
      try {
        validateWeekly(input.weekly, input.zone ?? 'UTC');
      } catch (err) {
        throw apiError(400, 'BW_ERR_VALIDATION', `weekly: ${(err as Error).message}`);
      }
    }
    if (input.recurrence) {
      try {
        validateRecurrence(input.recurrence, input.zone);
      } catch (err) {
        const message = (err as Error).message;
        throw apiError(400, 'BW_ERR_VALIDATION', message, { field: message.split(':')[0] });
      }
    }
    return this.config.createWindow({ ...input, tenantId });
  }

  async deleteWindow(user: SessionUser, id: string) {
    if (!(await this.config.deleteWindow(id, user.tenantId))) {
      throw notFound('BW_ERR_NOT_FOUND', `maintenance window ${id} does not exist`);
    }
  }

  listLinks(user: SessionUser) {
    return this.config.listLinks(user.tenantId);
  }

  async createLink(user: SessionUser, parentCheckId: string, childCheckId: string) {
    if (parentCheckId === childCheckId) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'a check cannot be its own parent');
    }
    const tenantId = await this.tenantOf(user, 'check', parentCheckId);
    if ((await this.tenantOf(user, 'check', childCheckId)) !== tenantId) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'parent and child belong to different tenants');
    }
    // A loop would hold each check's alerts behind the other's: neither would open a ticket.
    const links = await this.config.listLinks(tenantId);
    if (reaches(links, childCheckId, parentCheckId)) {
      throw apiError(
        400,
        'BW_ERR_VALIDATION',
        'the link would make a loop: the parent already depends on the child',
      );
    }
    return this.config.createLink({ tenantId, parentCheckId, childCheckId });
  }

  async deleteLink(user: SessionUser, id: string) {
    if (!(await this.config.deleteLink(id, user.tenantId))) {
      throw notFound('BW_ERR_NOT_FOUND', `parent link ${id} does not exist`);
    }
  }

  async setCheckRole(user: SessionUser, checkId: string, role: 'wan' | null) {
    await this.tenantOf(user, 'check', checkId);
    await this.config.setCheckRole(checkId, role);
  }

  async setBranch(
    user: SessionUser,
    branchId: string,
    values: { criticality?: Criticality | undefined; timeZone?: string | undefined },
  ) {
    await this.tenantOf(user, 'branch', branchId);
    if (values.timeZone && !isTimeZone(values.timeZone)) {
      throw apiError(
        400,
        'BW_ERR_VALIDATION',
        `timeZone: unknown IANA time zone "${values.timeZone}"`,
      );
    }
    await this.config.setBranchSettings(branchId, values);
  }

  /** A person's priority on a ticket: it sticks, the hub's auto-priority stops. */
  async overridePriority(user: SessionUser, ticketId: string, priority: Priority) {
    const ticket = await this.tickets.findById(ticketId);
    if (!ticket || (user.tenantId && ticket.tenantId !== user.tenantId)) {
      throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${ticketId} does not exist`);
    }
    await this.tickets.overridePriority(ticketId, priority, user.id, new Date());
  }

  async outages(user: SessionUser, agentId: string, limit: number) {
    await this.tenantOf(user, 'agent', agentId);
    return this.incidents.listOutages(agentId, limit);
  }

  /** The tenant of a scope, which must exist and be the user's own (unless cross-tenant). */
  private async tenantOf(
    user: SessionUser,
    scope: RuleScope | WindowScope,
    id: string,
  ): Promise<string> {
    const tenantId = await this.config.tenantOf(scope, id);
    if (!tenantId || (user.tenantId && tenantId !== user.tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `${scope} ${id} does not exist`);
    }
    return tenantId;
  }
}

/** Whether `to` is `from` or one of its descendants through the parent links. */
function reaches(links: ParentLink[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const next = [from];
  while (next.length > 0) {
    const id = next.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const l of links) if (l.parentCheckId === id) next.push(l.childCheckId);
  }
  return false;
}
