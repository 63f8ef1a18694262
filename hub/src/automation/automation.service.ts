import { fieldPath } from '@branchwatch/api';
import { apiError, notFound } from '../http/errors.js';
import type { SessionUser } from '../http/request-state.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import type { HelpdeskSettingsService } from '../helpdesk/helpdesk-settings.service.js';
import type { SlaService } from '../helpdesk/sla/sla.service.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { AutomationRepository, RuleRow, RuleValues, RunRow } from './automation.repository.js';
import type { RuleBody } from './automation.schemas.js';
import { describeAction } from './automation-actions.js';
import { guardMessage, linkFacts, roundFacts } from './automation-engine.js';
import type { AvailabilityService } from '../helpdesk/sla/availability.service.js';
import { availabilityFirings } from './availability-trigger.js';
import {
  eventGroups,
  telemetryFirings,
  ticketFiring,
  timeFirings,
  type Calendars,
  type Firing,
  type RuleSpec,
  type TicketHistory,
} from './rule-evaluation.js';

type Draft = Omit<RuleValues, 'tenantId'>;

export interface SimulatedRun {
  ticketId: string | null;
  ticketNumber: number | null;
  ticketSubject: string | null;
  checkId: string | null;
  at: Date;
  status: 'ok' | 'guarded';
  facts: Record<string, unknown>;
  matched: unknown[];
  actions: { type: string; ok: boolean; detail: Record<string, unknown>; error: string | null }[];
}

/**
 * Automation rules for admins (docs/automation.md): saving with audit, the simulator, and the
 * record of runs shown on a rule and on a ticket.
 */
export class AutomationService {
  constructor(
    private readonly repo: AutomationRepository,
    private readonly sla: SlaService,
    private readonly settings: HelpdeskSettingsService,
    private readonly tickets: TicketService,
    private readonly audit: AuditService,
    private readonly availability: AvailabilityService,
  ) {}

  async list(user: SessionUser) {
    const rules = await this.repo.rules(user.tenantId);
    const last = await this.repo.lastRuns(rules.map((r) => r.id));
    return rules.map((r) => ({ ...r, lastRun: lastRunOf(last.get(r.id)) }));
  }

  async get(id: string, user: SessionUser) {
    const rule = await this.visible(id, user);
    const last = await this.repo.lastRuns([id]);
    return { ...rule, lastRun: lastRunOf(last.get(id)) };
  }

  async create(user: SessionUser, body: RuleBody) {
    const { tenantId: named, ...values } = body;
    const tenantId = await this.tenantOf(user, named);
    await this.checkReferences(tenantId, values);
    const rule = await this.repo.create({ ...values, tenantId });
    await this.audit.record({
      action: 'automation.rule_created',
      target: `automation_rule:${rule.id}`,
      tenantId,
      details: { after: snapshot(rule) },
    });
    return { ...rule, lastRun: null };
  }

  async update(id: string, user: SessionUser, patch: Partial<Draft>) {
    const before = await this.visible(id, user);
    await this.checkReferences(before.tenantId, { ...before, ...patch });
    const rule = (await this.repo.update(id, patch))!;
    await this.audit.record({
      action: 'automation.rule_changed',
      target: `automation_rule:${id}`,
      tenantId: rule.tenantId,
      details: { before: snapshot(before), after: snapshot(rule) },
    });
    return this.get(id, user);
  }

  async remove(id: string, user: SessionUser) {
    const before = await this.visible(id, user);
    await this.repo.remove(id);
    await this.audit.record({
      action: 'automation.rule_deleted',
      target: `automation_rule:${id}`,
      tenantId: before.tenantId,
      details: { before: snapshot(before) },
    });
  }

  async runs(id: string, user: SessionUser) {
    await this.visible(id, user);
    return this.repo.runs({ ruleId: id });
  }

  async ticketRuns(ticketId: string, user: SessionUser): Promise<RunRow[]> {
    await this.tickets.visible(ticketId, user.tenantId);
    return this.repo.runs({ ticketId });
  }

  /**
   * What a draft would have done over the last `days`: ticket rules on every group of events
   * in the window, time rules at each moment they would have come due, telemetry rules on the
   * rounds — the functions the engine runs (rule-evaluation.ts), without acting.
   */
  async simulate(
    user: SessionUser,
    draft: Draft,
    days: number,
    options: { tenantId?: string; ruleId?: string } = {},
    now = new Date(),
  ) {
    const saved = options.ruleId ? await this.visible(options.ruleId, user) : undefined;
    const tenantId = saved?.tenantId ?? (await this.tenantOf(user, options.tenantId));
    await this.checkReferences(tenantId, draft);
    const from = new Date(now.getTime() - days * 86_400_000);
    const calendars = (await this.sla.setupFor(tenantId)).calendars;
    const rule: RuleSpec = { ...draft, id: saved?.id ?? 'draft' };
    const items: SimulatedRun[] = [];
    const t = draft.trigger;
    if (t.type === 'availability') {
      // The period so far, as the engine's next sweep reads it (a period fires once).
      const { firings, links } = await availabilityFirings(t, tenantId, now, {
        repo: this.repo,
        availability: this.availability,
      });
      for (const f of firings) {
        if (saved && (await this.repo.hasRun(saved.id, f.link.checkId, f.key))) continue;
        items.push({
          ticketId: null,
          ticketNumber: null,
          ticketSubject: null,
          checkId: f.link.checkId,
          at: now,
          status: 'ok',
          facts: linkFacts(f, t.below, t.period),
          matched: [],
          actions: planned(draft),
        });
      }
      return { from, to: now, ticketsSeen: 0, roundsSeen: links, items };
    }
    if (t.type === 'telemetry') {
      const rounds = await this.repo.rounds(tenantId, t.checkType, t.field, from, now);
      for (const { round } of telemetryFirings(rule, rounds, calendars)) {
        items.push({
          ticketId: null,
          ticketNumber: null,
          ticketSubject: null,
          checkId: round.checkId,
          at: round.at,
          status: 'ok',
          facts: roundFacts(round),
          matched: [],
          actions: planned(draft),
        });
      }
      return { from, to: now, ticketsSeen: 0, roundsSeen: rounds.length, items };
    }
    const histories = await this.repo.histories({ tenantId, activeSince: from });
    for (const ticket of histories) {
      const runs = { count: 0 };
      for (const f of this.firings(rule, ticket, from, now, calendars)) {
        const item = simulated(draft, ticket, f, runs);
        if (item) items.push(item);
      }
    }
    items.sort((a, b) => a.at.getTime() - b.at.getTime());
    return { from, to: now, ticketsSeen: histories.length, roundsSeen: 0, items };
  }

  private firings(
    rule: RuleSpec,
    ticket: TicketHistory,
    from: Date,
    now: Date,
    calendars: Calendars,
  ): Firing[] {
    if (rule.trigger.type === 'ticket_created' || rule.trigger.type === 'ticket_changed') {
      return eventGroups(ticket.events.filter((e) => e.at >= from && e.at <= now)).flatMap(
        (group) => ticketFiring(rule, ticket, group, calendars) ?? [],
      );
    }
    return timeFirings(rule, ticket, now, calendars).filter((f) => f.at >= from);
  }

  private async visible(id: string, user: SessionUser): Promise<RuleRow> {
    const rule = await this.repo.rule(id);
    if (!rule || (user.tenantId && rule.tenantId !== user.tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `automation rule ${id} does not exist`);
    }
    return rule;
  }

  private async tenantOf(user: SessionUser, named: string | undefined): Promise<string> {
    const tenantId = this.settings.ownerOf(user, named);
    if (!tenantId) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: required for users of every tenant', {
        field: 'tenantId',
      });
    }
    await this.settings.assertTenant(tenantId);
    return tenantId;
  }

  /** Calendars a rule names must be the tenant's (or shared). */
  private async checkReferences(tenantId: string, rule: Partial<Draft>) {
    const calendars = (await this.sla.setupFor(tenantId)).calendars;
    const named: [string, string][] = [];
    const t = rule.trigger;
    if (t && 'calendarId' in t && t.calendarId) named.push(['trigger.calendarId', t.calendarId]);
    (rule.conditions ?? []).forEach((c, i) => {
      if (c.calendarId) named.push([fieldPath('conditions', i, 'calendarId'), c.calendarId]);
    });
    for (const [field, id] of named) {
      if (!calendars[id])
        throw apiError(400, 'BW_ERR_VALIDATION', `${field}: calendar ${id} does not exist`, {
          field,
        });
    }
    const owned: [string, Parameters<AutomationRepository['owned']>[0], string, string][] = [];
    if (t?.type === 'availability' && t.checkId)
      owned.push(['trigger.checkId', 'checks', t.checkId, 'check']);
    (rule.actions ?? []).forEach((a, i) => {
      if (a.type === 'webhook')
        owned.push([
          fieldPath('actions', i, 'subscriptionId'),
          'notify_subscriptions',
          a.subscriptionId,
          'webhook subscription',
        ]);
      if (a.type === 'notify' && a.to === 'person' && a.userId)
        owned.push([fieldPath('actions', i, 'userId'), 'users', a.userId, 'person']);
      if (a.type === 'notify' && a.to === 'group' && a.groupId)
        owned.push([fieldPath('actions', i, 'groupId'), 'support_groups', a.groupId, 'group']);
    });
    for (const [field, table, id, what] of owned) {
      if (!(await this.repo.owned(table, id, tenantId)))
        throw apiError(400, 'BW_ERR_VALIDATION', `${field}: this ${what} does not exist`, {
          field,
        });
    }
  }
}

function planned(draft: Draft) {
  return draft.actions.map((a) => ({ ...describeAction(a), ok: true, error: null }));
}

/** One simulated firing, counted against the cap as the engine counts it. */
function simulated(
  draft: Draft,
  ticket: TicketHistory,
  f: Firing,
  runs: { count: number; guarded?: boolean },
): SimulatedRun | undefined {
  const base = {
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    ticketSubject: ticket.subject,
    checkId: null,
    at: f.at,
    facts: f.facts,
    matched: f.matched,
  };
  if (runs.count >= draft.maxRunsPerTicket) {
    if (runs.guarded) return undefined;
    runs.guarded = true;
    return {
      ...base,
      status: 'guarded',
      actions: [
        {
          type: 'guard',
          ok: false,
          detail: {},
          error: guardMessage(runs.count, draft.maxRunsPerTicket),
        },
      ],
    };
  }
  runs.count++;
  return { ...base, status: 'ok', actions: planned(draft) };
}

function lastRunOf(run: RunRow | undefined) {
  return run ? { at: run.at, status: run.status, error: run.error } : null;
}

const snapshot = (r: RuleRow) => ({
  name: r.name,
  enabled: r.enabled,
  position: r.position,
  trigger: r.trigger,
  match: r.match,
  conditions: r.conditions,
  actions: r.actions,
  maxRunsPerTicket: r.maxRunsPerTicket,
});
