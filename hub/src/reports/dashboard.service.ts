import { businessMsBetween, type BusinessCalendar, type SlaClocks } from '@branchwatch/sla';
import type { TicketSource } from '@branchwatch/api';
import type { AvailabilityService } from '../helpdesk/sla/availability.service.js';
import type { SlaService, SlaSetup } from '../helpdesk/sla/sla.service.js';
import type { DashboardFilter, DashboardTicket, ReportRepository } from './report.repository.js';
import { acknowledgedAt } from './ticket-report.js';
import { notFound } from '../http/errors.js';
import { dashboardDocument, type ReportDocument } from './report-document.js';
import type { ReportLanguage } from './report-text.js';

const BATCH = 1000;

/** The dimensions tickets are counted by. */
export const DASHBOARD_DIMENSIONS = ['status', 'priority', 'category', 'agent', 'team'] as const;
export type DashboardDimension = (typeof DASHBOARD_DIMENSIONS)[number];

export interface CountRow {
  /** The value counted (a state, a priority, a category, a user's or group's id); null: none. */
  key: string | null;
  /** Its readable name (a person's username, a group's name); null when the key is the name. */
  label: string | null;
  tickets: number;
}

export interface ResponseTimes {
  tickets: number;
  acknowledged: number;
  /** Mean business time from opening to the first person's reply or assignment. */
  mttaMs: number | null;
  resolved: number;
  /** Mean business time from opening to resolution. */
  mttrMs: number | null;
}

export interface ClockCompliance {
  met: number;
  breached: number;
  /** met / (met + breached); null when no clock was decided. */
  compliance: number | null;
}

export interface LinkAvailability {
  branchId: string;
  branchName: string;
  /** The branch's WAN check; null when it has none (nothing to measure). */
  checkId: string | null;
  percent: number | null;
  downtimeMs: number | null;
  met: boolean | null;
}

export interface Dashboard {
  from: Date;
  to: Date;
  tenantId: string | null;
  branchId: string | null;
  targetPercent: number;
  counts: Record<DashboardDimension, CountRow[]>;
  times: Record<'all' | TicketSource, ResponseTimes>;
  sla: { firstResponse: ClockCompliance; resolution: ClockCompliance };
  /** Null until the requester portal's ratings exist on this hub. */
  satisfaction: { ratings: number; mean: number | null } | null;
  availability: LinkAvailability[];
}

export type DashboardQuery = DashboardFilter & { targetPercent: number };

interface Measured {
  ticket: DashboardTicket;
  acknowledgeMs: number | null;
  resolveMs: number | null;
  clocks: SlaClocks;
}

/**
 * The KPI dashboard (docs/reports.md): tickets opened in a period counted by status, priority,
 * category, agent and team; MTTA and MTTR in business time on each ticket's SLA calendar, split
 * by who opened the ticket; SLA compliance per clock; satisfaction; link availability per
 * branch against a target.
 */
export class DashboardService {
  constructor(
    private readonly repo: ReportRepository,
    private readonly sla: SlaService,
    private readonly availability: AvailabilityService,
  ) {}

  /** A tenant's name (the heading of a ticket's PDF). */
  async tenantName(id: string): Promise<string | undefined> {
    return this.repo.tenantName(id);
  }

  async build(query: DashboardQuery, now = new Date()): Promise<Dashboard> {
    const measured = await this.measure(query, now);
    const counts = Object.fromEntries(
      DASHBOARD_DIMENSIONS.map((d) => [d, countBy(measured, d)]),
    ) as Record<DashboardDimension, CountRow[]>;
    const bySource = (source: TicketSource) => measured.filter((m) => m.ticket.source === source);
    return {
      from: query.from,
      to: query.to,
      tenantId: query.tenantId,
      branchId: query.branchId,
      targetPercent: query.targetPercent,
      counts,
      times: {
        all: times(measured),
        alert: times(bySource('alert')),
        person: times(bySource('person')),
      },
      sla: {
        firstResponse: compliance(measured, 'firstResponse'),
        resolution: compliance(measured, 'resolution'),
      },
      satisfaction: await this.repo.satisfaction(query),
      availability: await this.links(query, now),
    };
  }

  /**
   * Checks the filter against what the caller may see: a branch of another tenant (or out of
   * the caller's branch scope, which row-level security hides) is not found.
   */
  async scope(filter: Pick<DashboardFilter, 'tenantId' | 'branchId'>) {
    let branchName: string | null = null;
    if (filter.branchId) {
      const branch = await this.repo.branch(filter.branchId);
      if (!branch || (filter.tenantId && branch.tenantId !== filter.tenantId)) {
        throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${filter.branchId} does not exist`);
      }
      branchName = branch.name;
    }
    let tenantName: string | null = null;
    if (filter.tenantId) {
      tenantName = (await this.repo.tenantName(filter.tenantId)) ?? null;
      if (tenantName === null) {
        throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${filter.tenantId} does not exist`);
      }
    }
    return { tenantName, branchName };
  }

  /** The dashboard as a document to export, in `lang`, dates in `zone`. */
  async document(
    query: DashboardQuery,
    lang: ReportLanguage,
    zone: string,
    now = new Date(),
  ): Promise<ReportDocument> {
    const names = await this.scope(query);
    return dashboardDocument(await this.build(query, now), lang, { ...names, zone, now });
  }

  private async measure(query: DashboardQuery, now: Date): Promise<Measured[]> {
    const out: Measured[] = [];
    const setups = new Map<string, SlaSetup>();
    let after = 0;
    for (;;) {
      const batch = await this.repo.dashboardTickets(query, after, BATCH);
      if (batch.length === 0) break;
      const events = await this.repo.events(batch.map((t) => t.id));
      for (const ticket of batch) {
        let setup = setups.get(ticket.tenantId);
        if (!setup) setups.set(ticket.tenantId, (setup = await this.sla.setupFor(ticket.tenantId)));
        const history = events.get(ticket.id) ?? [];
        const clocks = this.sla.clocks(setup, ticket, history, now);
        const calendar = calendarOf(setup, clocks);
        const ack = acknowledgedAt(history);
        out.push({
          ticket,
          acknowledgeMs: ack && elapsed(calendar, ticket.openedAt, ack),
          resolveMs: ticket.resolvedAt && elapsed(calendar, ticket.openedAt, ticket.resolvedAt),
          clocks,
        });
      }
      after = Number(batch.at(-1)!.number);
    }
    return out;
  }

  private async links(query: DashboardQuery, now: Date): Promise<LinkAvailability[]> {
    const out: LinkAvailability[] = [];
    for (const link of await this.repo.branchLinks(query)) {
      if (!link.checkId) {
        out.push({ ...link, percent: null, downtimeMs: null, met: null });
        continue;
      }
      const a = await this.availability.overPeriod(link.checkId, query, query.targetPercent, now);
      out.push({ ...link, percent: a.percent, downtimeMs: a.downtimeMs, met: a.met });
    }
    return out;
  }
}

/**
 * The calendar of the policy the ticket's clocks ran under; undefined (wall-clock time) for a
 * ticket no policy matches.
 */
function calendarOf(setup: SlaSetup, clocks: SlaClocks): BusinessCalendar | undefined {
  const policyId = clocks.resolution?.policyId ?? clocks.firstResponse?.policyId;
  const policy = policyId ? setup.policies.find((p) => p.id === policyId) : undefined;
  return policy ? setup.calendars[policy.calendarId] : undefined;
}

const elapsed = (calendar: BusinessCalendar | undefined, from: Date, to: Date) =>
  calendar ? businessMsBetween(calendar, from, to) : to.getTime() - from.getTime();

function keyOf(m: Measured, d: DashboardDimension): { key: string | null; label: string | null } {
  const t = m.ticket;
  switch (d) {
    case 'status':
      return { key: t.state, label: null };
    case 'priority':
      return { key: t.priority, label: null };
    case 'category':
      return { key: t.category, label: null };
    case 'agent':
      return { key: t.assigneeId, label: t.assigneeName };
    case 'team':
      return { key: t.groupId, label: t.groupName };
  }
}

/** Counts per value, most tickets first, then by name. */
function countBy(measured: readonly Measured[], d: DashboardDimension): CountRow[] {
  const rows = new Map<string | null, CountRow>();
  for (const m of measured) {
    const { key, label } = keyOf(m, d);
    const row = rows.get(key) ?? { key, label, tickets: 0 };
    row.tickets += 1;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.tickets - a.tickets ||
      String(a.label ?? a.key ?? '').localeCompare(String(b.label ?? b.key ?? '')),
  );
}

function times(list: readonly Measured[]): ResponseTimes {
  const acks = list.flatMap((m) => (m.acknowledgeMs === null ? [] : [m.acknowledgeMs]));
  const resolves = list.flatMap((m) => (m.resolveMs === null ? [] : [m.resolveMs]));
  return {
    tickets: list.length,
    acknowledged: acks.length,
    mttaMs: mean(acks),
    resolved: resolves.length,
    mttrMs: mean(resolves),
  };
}

function compliance(list: readonly Measured[], kind: keyof SlaClocks): ClockCompliance {
  const met = list.filter((m) => m.clocks[kind]?.status === 'met').length;
  const breached = list.filter((m) => m.clocks[kind]?.status === 'breached').length;
  return { met, breached, compliance: met + breached ? met / (met + breached) : null };
}

const mean = (values: number[]) =>
  values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
