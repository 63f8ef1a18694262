import type { Branch, Check, Ticket } from '../api/types';

export interface TicketRow {
  ticket: Ticket;
  /** The branch's name, or null when the ticket has none or it is not loaded. */
  branchName: string | null;
  /** "wan-ping · 10.0.0.1" for the check the ticket is about (its name, its target), or null. */
  checkLabel: string | null;
}

/**
 * What the ticket list shows per ticket, newest first. Names are looked up here so the
 * table only renders; a reference the lists do not (yet) contain shows as empty.
 */
export function buildTicketRows(
  tickets: Ticket[],
  branches: Branch[],
  checks: Check[],
): TicketRow[] {
  const branchById = new Map(branches.map((branch) => [branch.id, branch]));
  const checkById = new Map(checks.map((check) => [check.id, check]));

  return [...tickets].sort(newestFirst).map((ticket) => {
    const branch = ticket.branchId === null ? undefined : branchById.get(ticket.branchId);
    const check = ticket.checkId === null ? undefined : checkById.get(ticket.checkId);
    return {
      ticket,
      branchName: branch?.name ?? null,
      checkLabel: check ? checkLabel(check) : null,
    };
  });
}

// The check's name as people gave it, not its type's code name ("icmp"), which the check's
// own row says in words.
export function checkLabel(check: Pick<Check, 'key' | 'target'>): string {
  return `${check.key} · ${check.target}`;
}

function newestFirst(a: Ticket, b: Ticket): number {
  return Date.parse(b.openedAt) - Date.parse(a.openedAt) || b.number - a.number;
}
