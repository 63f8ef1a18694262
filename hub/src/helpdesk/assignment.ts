/**
 * Automatic assignment within a support group (docs/tickets.md "Assignment"). People who are
 * away are skipped — the gap Zammad #854 and FreeScout #1388 ask to close.
 */
import type { AssignmentStrategy } from '@branchwatch/api';

// The strategies are the API's (packages/api), so the web offers the same ones.
export { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '@branchwatch/api';

export interface Candidate {
  userId: string;
  away: boolean;
  /** Active tickets assigned to this person now. */
  load: number;
}

/**
 * The member who gets the next ticket, or undefined (manual groups, nobody present).
 * `members` is the group's fixed order; `lastAssignedId` the member who got the previous one.
 * Round robin takes the next present member after the last one, wrapping around; least
 * loaded takes the present member with the fewest active tickets, ties going round robin.
 */
export function selectAssignee(
  strategy: AssignmentStrategy,
  members: readonly Candidate[],
  lastAssignedId: string | null,
): string | undefined {
  if (strategy === 'manual') return undefined;
  const last = members.findIndex((m) => m.userId === lastAssignedId);
  // The members in turn order: everyone after the last one, then from the start up to them.
  const inTurn = [...members.slice(last + 1), ...members.slice(0, last + 1)].filter((m) => !m.away);
  if (inTurn.length === 0) return undefined;
  if (strategy === 'round_robin') return inTurn[0]!.userId;
  const least = Math.min(...inTurn.map((m) => m.load));
  return inTurn.find((m) => m.load === least)!.userId;
}
