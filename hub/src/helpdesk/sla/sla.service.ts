import {
  businessCalendar,
  computeSlaClocks,
  isValidZone,
  isoDate,
  localDateAt,
  policyResolver,
  type CalendarsByKey,
  type PolicyResolver,
  type SlaClocks,
} from '@branchwatch/sla';
import { apiError, notFound } from '../../http/errors.js';
import { calendarDefaults } from './calendar-defaults.js';
import { toSlaEvents, toSlaPolicy } from './sla-mapping.js';
import type { Ticket, TicketEvent } from '../ticket.model.js';
import type { PolicyRow, SlaRepository, StoredCalendar } from './sla.repository.js';
import { fieldChanges, type AuditService } from '../../identity/audit/audit.service.js';

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
  constructor(
    private readonly repo: SlaRepository,
    /** Policy and calendar changes go to the audit log (who comes from the request). */
    private readonly audit?: AuditService,
  ) {}

  async setupFor(tenantId: string): Promise<SlaSetup> {
    // One after another: inside a request both run on its transaction's one connection.
    const policies = await this.repo.policies(tenantId);
    const calendars = await this.repo.calendars(tenantId);
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

  /** What a new calendar starts from: `zone`, else the zone most of the tenant's branches keep. */
  async calendarDefaults(tenantId: string | null, zone: string | undefined, language: string) {
    if (zone !== undefined && !isValidZone(zone)) {
      throw apiError(400, 'BW_ERR_VALIDATION', `zone: unknown time zone "${zone}"`, {
        field: 'zone',
      });
    }
    const chosen = zone ?? (await this.repo.commonBranchZone(tenantId)) ?? 'UTC';
    const today = isoDate(localDateAt(chosen, Date.now()));
    return calendarDefaults(chosen, language, today);
  }

  async createCalendar(values: Omit<StoredCalendar, 'id'>) {
    checkCalendar(values.spec);
    const created = await this.repo.createCalendar(values);
    await this.audited('sla_calendar', 'created', created, { after: created });
    return created;
  }

  async updateCalendar(id: string, tenantId: string | null, values: Partial<StoredCalendar>) {
    const before = await this.visibleCalendar(id, tenantId);
    if (values.spec) checkCalendar(values.spec);
    await this.repo.updateCalendar(id, values);
    const after = (await this.repo.findCalendar(id))!;
    await this.auditedUpdate('sla_calendar', before, after);
    return after;
  }

  async removeCalendar(id: string, tenantId: string | null) {
    const before = await this.visibleCalendar(id, tenantId);
    if (!(await this.repo.removeCalendar(id))) {
      throw apiError(409, 'BW_ERR_CONFLICT', `calendar ${id} is used by a policy`);
    }
    await this.audited('sla_calendar', 'deleted', before, { before });
  }

  policies(tenantId: string | null) {
    return this.repo.policies(tenantId);
  }

  async createPolicy(values: Omit<PolicyRow, 'id'>) {
    await this.checkPolicy({ ...values, id: 'new' });
    const created = await this.repo.createPolicy(values);
    await this.audited('sla_policy', 'created', created, { after: created });
    return created;
  }

  async updatePolicy(id: string, tenantId: string | null, values: Partial<PolicyRow>) {
    const current = await this.visiblePolicy(id, tenantId);
    await this.checkPolicy({ ...current, ...values, id });
    await this.repo.updatePolicy(id, values);
    const after = (await this.repo.findPolicy(id))!;
    await this.auditedUpdate('sla_policy', current, after);
    return after;
  }

  async removePolicy(id: string, tenantId: string | null) {
    const before = await this.visiblePolicy(id, tenantId);
    await this.repo.removePolicy(id);
    await this.audited('sla_policy', 'deleted', before, { before });
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

  /** One `policy.changed` entry: which object, what was done, and its content. */
  private async audited(
    object: 'sla_policy' | 'sla_calendar',
    operation: 'created' | 'updated' | 'deleted',
    subject: { id: string; tenantId: string | null; name: string },
    content: Record<string, unknown>,
  ) {
    await this.audit?.record({
      action: 'policy.changed',
      target: `${object}:${subject.id}`,
      tenantId: subject.tenantId,
      details: { object, operation, name: subject.name, ...content },
    });
  }

  /** An update is audited with the changed fields only, before and after; none, no entry. */
  private async auditedUpdate(
    object: 'sla_policy' | 'sla_calendar',
    before: PolicyRow | StoredCalendar,
    after: PolicyRow | StoredCalendar,
  ) {
    const changes = fieldChanges(before, after);
    if (Object.keys(changes).length === 0) return;
    await this.audited(object, 'updated', after, { changes });
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
