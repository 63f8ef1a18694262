import type { SlaClock, SlaClocks } from '@branchwatch/sla';
import type { Ticket, TicketEvent } from './ticket.model.js';

/** How tickets, their events and SLA clocks look in API answers (schemas/tickets.ts). */
export const ticketView = (t: Ticket) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  state: t.state,
  priority: t.priority,
  category: t.category,
  source: t.source,
  branchId: t.branchId,
  agentId: t.agentId,
  checkId: t.checkId,
  assigneeId: t.assigneeId,
  groupId: t.groupId,
  mergedIntoId: t.mergedIntoId,
  requesterName: t.requesterName,
  requesterContact: t.requesterContact,
  version: t.version,
  openedAt: t.openedAt,
  resolvedAt: t.resolvedAt,
  updatedAt: t.updatedAt,
});

/**
 * An event of a ticket's history. `labels` names the ids a change carries (people, groups,
 * SLA policies) so that readers see "sara", not a uuid; an id that names nothing any more
 * (a deleted user) has no label.
 */
export const eventView = (
  e: TicketEvent & { author: string | null },
  labels: ReadonlyMap<string, string> = new Map(),
) => ({
  id: String(e.id),
  at: e.at,
  kind: e.kind,
  visibility: e.visibility,
  body: e.body,
  author: e.author,
  ...(e.field || e.newValue !== null || e.oldValue !== null
    ? {
        field: e.field,
        old: e.oldValue,
        new: e.newValue,
        ...(LABELLED_FIELDS.has(e.field ?? '')
          ? {
              oldLabel: (e.oldValue && labels.get(e.oldValue)) ?? null,
              newLabel: (e.newValue && labels.get(e.newValue)) ?? null,
            }
          : {}),
      }
    : {}),
  ...(e.data ? { data: e.data } : {}),
});

/** Change events whose values are ids of other things (named in `oldLabel`, `newLabel`). */
export const LABELLED_FIELDS: ReadonlySet<string> = new Set(['assignee', 'group', 'sla_policy']);

/**
 * The clock a queue shows for a ticket: the one that needs attention first. A breached clock
 * before a running one, a running one by its deadline, a paused one last; met clocks are done.
 */
export function pressingClock(c: SlaClocks) {
  const open = (['firstResponse', 'resolution'] as const)
    .map((name) => ({ name, clock: c[name] }))
    .filter((x): x is { name: typeof x.name; clock: SlaClock } => x.clock !== null)
    .filter((x) => x.clock.status !== 'met');
  const rank = (s: SlaClock['status']) => (s === 'breached' ? 0 : s === 'running' ? 1 : 2);
  const deadline = (x: SlaClock) => x.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
  open.sort(
    (a, b) =>
      rank(a.clock.status) - rank(b.clock.status) ||
      deadline(a.clock) - deadline(b.clock) ||
      a.clock.remainingMs - b.clock.remainingMs,
  );
  const first = open[0];
  return first ? { clock: first.name, ...clockView(first.clock)! } : null;
}

const clockView = (c: SlaClock | null) =>
  c && {
    policyId: c.policyId,
    status: c.status,
    targetMs: c.targetMs,
    elapsedMs: c.elapsedMs,
    remainingMs: c.remainingMs,
    deadline: c.deadline,
    paused: c.status === 'paused',
    pausedMs: c.pausedMs,
    warningAt: c.warningAt,
    escalations: c.escalations,
  };

export const clocksView = (c: SlaClocks) => ({
  firstResponse: clockView(c.firstResponse),
  resolution: clockView(c.resolution),
});
