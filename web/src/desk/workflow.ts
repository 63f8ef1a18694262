export { nextStates, TRANSITIONS } from '@branchwatch/api';

/**
 * The branch chart at the moment of an alert ticket: from an hour before it opened to an
 * hour after it resolved (or to now while it is open), on the ticket's check.
 */
export function chartHref(
  ticket: {
    branchId: string | null;
    checkId: string | null;
    openedAt: string;
    resolvedAt: string | null;
  },
  now: number,
): string | null {
  if (ticket.branchId === null || ticket.checkId === null) return null;
  const hour = 3_600_000;
  const from = Date.parse(ticket.openedAt) - hour;
  const end = ticket.resolvedAt === null ? now : Date.parse(ticket.resolvedAt) + hour;
  const params = new URLSearchParams({
    check: ticket.checkId,
    from: new Date(from).toISOString(),
    to: new Date(Math.min(end, now)).toISOString(),
  });
  return `/branches/${encodeURIComponent(ticket.branchId)}?${params.toString()}`;
}
