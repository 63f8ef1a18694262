import {
  businessCalendar,
  computeSlaClocks,
  policyResolver,
  type CalendarsByKey,
  type PolicyResolver,
  type SlaClocks,
} from '@branchwatch/sla';
import { apiError, notFound } from '../errors.js';
import { toSlaEvents, toSlaPolicy } from '../helpdesk/sla-mapping.js';
import type { Ticket, TicketEvent } from '../models/ticket.model.js';
import type { PolicyRow, SlaRepository, StoredCalendar } from '../repositories/sla.repository.js';

/** What clocks are computed with for one tenant: its policies in order and their calendars. */
export interface SlaSetup {
  resolver: PolicyResolver;
  calendars: CalendarsByKey;
  policies: PolicyRow[];
}

/**
 * SLA calendars and policies (admin), and each ticket's clocks, rebuilt from its own event log
 * with @branchwatch/sla (docs/sla.md, docs/tickets.md "SLA").
 */
export class SlaService {
  constructor(private readonly repo: SlaRepository) {}

  async setupFor(tenantId: string): Promise<SlaSetup> {
    const [policies, calendars] = await Promise.all([
      this.repo.policies(tenantId),
      this.repo.calendars(tenantId),
    ]);
    return {
      policies,
      resolver: policyResolver(policies.map(toSlaPolicy)),
      calendars: Object.fromEntries(calendars.map((c) => [c.id, businessCalendar(c.spec)])),
    };
  }

  /** The ticket's clocks as of `now`; both null when no policy matches. */
  clocks(
    setup: SlaSetup,
    ticket: Ticket,
    events: readonly TicketEvent[],
    now = new Date(),
  ): SlaClocks {
    return computeSlaClocks(toSlaEvents(ticket, events), setup.resolver, setup.calendars, now);
  }

  async clocksOf(ticket: Ticket, events: readonly TicketEvent[], now = new Date()) {
    return this.clocks(await this.setupFor(ticket.tenantId), ticket, events, now);
  }

  calendars(tenantId: string | null) {
    return this.repo.calendars(tenantId);
  }

  async createCalendar(values: Omit<StoredCalendar, 'id'>) {
    checkCalendar(values.spec);
    return this.repo.createCalendar(values);
  }

  async updateCalendar(id: string, tenantId: string | null, values: Partial<StoredCalendar>) {
    await this.visibleCalendar(id, tenantId);
    if (values.spec) checkCalendar(values.spec);
    await this.repo.updateCalendar(id, values);
    return (await this.repo.findCalendar(id))!;
  }

  async removeCalendar(id: string, tenantId: string | null) {
    await this.visibleCalendar(id, tenantId);
    if (!(await this.repo.removeCalendar(id))) {
      throw apiError(409, 'BW_ERR_CONFLICT', `calendar ${id} is used by a policy`);
    }
  }

  policies(tenantId: string | null) {
    return this.repo.policies(tenantId);
  }

  async createPolicy(values: Omit<PolicyRow, 'id'>) {
    await this.checkPolicy({ ...values, id: 'new' });
    return this.repo.createPolicy(values);
  }

  async updatePolicy(id: string, tenantId: string | null, values: Partial<PolicyRow>) {
    const current = await this.visiblePolicy(id, tenantId);
    await this.checkPolicy({ ...current, ...values, id });
    await this.repo.updatePolicy(id, values);
    return (await this.repo.findPolicy(id))!;
  }

  async removePolicy(id: string, tenantId: string | null) {
    await this.visiblePolicy(id, tenantId);
    await this.repo.removePolicy(id);
  }

  async visiblePolicy(id: string, tenantId: string | null): Promise<PolicyRow> {
    const policy = await this.repo.findPolicy(id);
    if (!policy || (tenantId && policy.tenantId !== tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `SLA policy ${id} does not exist`);
    }
    return policy;
  }

  private async visibleCalendar(id: string, tenantId: string | null) {
    const calendar = await this.repo.findCalendar(id);
    if (!calendar || (tenantId && calendar.tenantId !== tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `SLA calendar ${id} does not exist`);
    }
    return calendar;
  }

  private async checkPolicy(policy: PolicyRow) {
    const calendar = await this.repo.findCalendar(policy.calendarId);
    if (
      !calendar ||
      (policy.tenantId && calendar.tenantId && calendar.tenantId !== policy.tenantId)
    ) {
      throw apiError(
        400,
        'BW_ERR_VALIDATION',
        `calendarId: calendar ${policy.calendarId} does not exist`,
        {
          field: 'calendarId',
        },
      );
    }
    const names = policy.escalations.map((e) => e.name);
    if (new Set(names).size !== names.length) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'escalations: level names must be unique', {
        field: 'escalations',
      });
    }
    try {
      policyResolver([toSlaPolicy(policy)]);
    } catch (err) {
      throw apiError(400, 'BW_ERR_VALIDATION', (err as Error).message, { field: 'policy' });
    }
  }
}

/** businessCalendar names the first problem of a spec (zone, hours, holidays): a 400. */
function checkCalendar(spec: StoredCalendar['spec']): void {
  try {
    businessCalendar(spec);
  } catch (err) {
    throw apiError(400, 'BW_ERR_VALIDATION', `spec: ${(err as Error).message}`, { field: 'spec' });
  }
}
