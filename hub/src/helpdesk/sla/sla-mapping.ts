import type {
  ClockKind,
  EscalationLevel,
  SlaPolicy,
  TicketEvent as SlaEvent,
  TicketPriority,
  TicketState,
} from '@branchwatch/sla';
import type { Ticket, TicketEvent } from '../ticket.model.js';

import { ESCALATION_ACTIONS, type EscalationAction } from '@branchwatch/api';

export { ESCALATION_ACTIONS, type EscalationAction };

export interface StoredEscalation {
  name: string;
  offsetMs: number;
  action: EscalationAction;
  clocks?: ClockKind[];
}

/** A policy as the hub stores it (sla_policies). */
export interface StoredPolicy {
  id: string;
  calendarId: string;
  firstResponseMs: number | null;
  resolutionMs: number | null;
  warningShare: number;
  escalations: StoredEscalation[];
  conditions: {
    tenant?: string[];
    branch?: string[];
    priority?: TicketPriority[];
    category?: string[];
  };
}

/** The package's policy: the calendar is keyed by its id, targets by clock. */
export function toSlaPolicy(p: StoredPolicy): SlaPolicy {
  return {
    id: p.id,
    calendar: p.calendarId,
    targets: {
      ...(p.firstResponseMs !== null ? { firstResponse: p.firstResponseMs } : {}),
      ...(p.resolutionMs !== null ? { resolution: p.resolutionMs } : {}),
    },
    warningShare: p.warningShare,
    escalations: p.escalations.map((e): EscalationLevel => ({
      name: e.name,
      offsetMs: e.offsetMs,
      ...(e.clocks ? { clocks: e.clocks } : {}),
    })),
    conditions: p.conditions,
  };
}

type LoggedEvent = Pick<
  TicketEvent,
  'kind' | 'at' | 'visibility' | 'field' | 'oldValue' | 'newValue' | 'authorId' | 'data'
>;
type TicketFacts = Pick<Ticket, 'tenantId' | 'branchId' | 'priority' | 'category' | 'openedAt'>;

/**
 * The ticket's own event log in the package's terms (docs/sla.md "Clocks, rebuilt from the
 * event log"). The log starts when the ticket was opened, with the facts at creation: the old
 * value of the first change of each field, or the current value when it never changed. Replies moved in by a merge keep their times but
 * are not this ticket's responses, so they are left out.
 */
export function toSlaEvents(ticket: TicketFacts, events: readonly LoggedEvent[]): SlaEvent[] {
  const firstChange = (field: string) =>
    events.find((e) => e.kind === 'change' && e.field === field);
  const initialPriority = firstChange('priority');
  const initialCategory = firstChange('category');
  const out: SlaEvent[] = [
    {
      type: 'created',
      at: ticket.openedAt,
      tenant: ticket.tenantId,
      branch: ticket.branchId,
      priority: (initialPriority?.oldValue as TicketPriority | undefined) ?? ticket.priority,
      category: initialCategory ? initialCategory.oldValue : ticket.category,
    },
  ];
  for (const e of events) {
    if (e.data && 'mergedFrom' in e.data) continue;
    const mapped = toSlaEvent(e);
    if (mapped) out.push(mapped);
  }
  return out;
}

function toSlaEvent(e: LoggedEvent): SlaEvent | undefined {
  const at = e.at;
  switch (e.kind) {
    case 'resolved':
      return { type: 'stateChanged', at, state: 'resolved' };
    case 'state':
      return e.newValue
        ? { type: 'stateChanged', at, state: e.newValue as TicketState }
        : undefined;
    case 'reply':
      // A person's public reply is the first response; one the hub wrote is nobody's.
      return { type: 'replied', at, by: e.authorId ? 'agent' : 'system', public: true };
    case 'change':
      return fieldChange(e);
    default:
      return undefined;
  }
}

function fieldChange(e: LoggedEvent): SlaEvent | undefined {
  const at = e.at;
  switch (e.field) {
    case 'state':
      return { type: 'stateChanged', at, state: e.newValue as TicketState };
    case 'priority':
      return { type: 'priorityChanged', at, priority: e.newValue as TicketPriority };
    case 'category':
      return { type: 'categoryChanged', at, category: e.newValue };
    case 'sla_policy':
      return { type: 'policyChanged', at, policyId: e.newValue };
    default:
      return undefined;
  }
}
