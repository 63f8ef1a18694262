import { canTransition, TRANSITIONS, type TicketState } from '@branchwatch/api';

export { canTransition, TRANSITIONS };

/** Why a change of state is refused, or undefined when it is allowed. */
export function transitionProblem(from: TicketState, to: TicketState): string | undefined {
  if (from === to) return `the ticket is already ${from}`;
  if (canTransition(from, to)) return undefined;
  const allowed = TRANSITIONS[from];
  return (
    `a ticket cannot go from ${from} to ${to}` +
    (allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ` (${from} is final)`)
  );
}
