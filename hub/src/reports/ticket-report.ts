import type { ClockStatus } from '@branchwatch/sla';
import type { TicketEvent } from '../helpdesk/ticket.model.js';

/** One ticket's measures: what a report adds up. */
export interface TicketMeasure {
  groupKey: string | null;
  groupLabel: string | null;
  /** Opening to the first person's reply or assignment; null when nobody acted yet. */
  acknowledgeMs: number | null;
  /** Opening to resolution; null while unresolved. */
  resolveMs: number | null;
  /** The resolution clock's status; null when no policy sets a resolution target. */
  resolutionClock: ClockStatus | null;
}

export interface ReportRow {
  key: string | null;
  label: string | null;
  tickets: number;
  acknowledged: number;
  /** Mean time to acknowledge, over the acknowledged tickets. */
  mttaMs: number | null;
  resolved: number;
  /** Mean time to resolve, over the resolved tickets. */
  mttrMs: number | null;
  slaMet: number;
  slaBreached: number;
  /** slaMet / (slaMet + slaBreached); clocks still running inside their target are not decided. */
  slaCompliance: number | null;
}

/**
 * When a person first acted on the ticket: a reply by a person (the hub's own replies have no
 * author) or an assignment to someone. Time spent paused counts: MTTA is wall-clock time, the
 * SLA clocks are the business-hours measure.
 */
export function acknowledgedAt(events: readonly TicketEvent[]): Date | null {
  const first = events.find(
    (e) =>
      (e.kind === 'reply' && e.authorId !== null && !(e.data && 'mergedFrom' in e.data)) ||
      (e.kind === 'change' && e.field === 'assignee' && e.newValue !== null),
  );
  return first?.at ?? null;
}

/** Adds measures up per group key, largest group first, then by key. */
export function summarize(measures: readonly TicketMeasure[]): {
  rows: ReportRow[];
  total: ReportRow;
} {
  const groups = new Map<string | null, TicketMeasure[]>();
  for (const m of measures) groups.set(m.groupKey, [...(groups.get(m.groupKey) ?? []), m]);
  const rows = [...groups.values()]
    .map((list) => row(list[0]!.groupKey, list[0]!.groupLabel, list))
    .sort((a, b) => b.tickets - a.tickets || String(a.key).localeCompare(String(b.key)));
  return { rows, total: row(null, 'total', measures) };
}

function row(key: string | null, label: string | null, list: readonly TicketMeasure[]): ReportRow {
  const acks = list.flatMap((m) => (m.acknowledgeMs === null ? [] : [m.acknowledgeMs]));
  const resolves = list.flatMap((m) => (m.resolveMs === null ? [] : [m.resolveMs]));
  const met = list.filter((m) => m.resolutionClock === 'met').length;
  const breached = list.filter((m) => m.resolutionClock === 'breached').length;
  return {
    key,
    label,
    tickets: list.length,
    acknowledged: acks.length,
    mttaMs: mean(acks),
    resolved: resolves.length,
    mttrMs: mean(resolves),
    slaMet: met,
    slaBreached: breached,
    slaCompliance: met + breached ? met / (met + breached) : null,
  };
}

const mean = (values: number[]) =>
  values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;

export const REPORT_CSV_HEADER = [
  'group',
  'key',
  'label',
  'tickets',
  'acknowledged',
  'mtta_seconds',
  'resolved',
  'mttr_seconds',
  'sla_met',
  'sla_breached',
  'sla_compliance',
];

export function reportCsvValues(groupBy: string, r: ReportRow): unknown[] {
  const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
  return [
    groupBy,
    r.key,
    r.label,
    r.tickets,
    r.acknowledged,
    seconds(r.mttaMs),
    r.resolved,
    seconds(r.mttrMs),
    r.slaMet,
    r.slaBreached,
    r.slaCompliance === null ? null : r.slaCompliance.toFixed(4),
  ];
}
