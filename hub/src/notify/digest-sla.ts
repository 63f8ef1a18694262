import type { SlaClock, SlaClocks } from '@branchwatch/sla';

/** What the digest says about one ticket's SLA: its most pressing clock. */
export type DigestSla =
  | { state: 'none' }
  | {
      state: 'breached' | 'warning' | 'running' | 'paused';
      clock: SlaClock['kind'];
      deadline: Date | null;
    };

// Most pressing first; a met clock (first response given in time) says nothing more.
const RANK = { breached: 0, warning: 1, running: 2, paused: 3 } as const;

/** The most pressing of a ticket's clocks as of when they were computed (docs/sla.md). */
export function digestSla(clocks: SlaClocks): DigestSla {
  const states = [clocks.firstResponse, clocks.resolution]
    .filter((c): c is SlaClock => !!c && c.status !== 'met')
    .map((c) => ({
      state:
        c.status === 'breached'
          ? ('breached' as const)
          : c.status === 'paused'
            ? ('paused' as const)
            : c.warned
              ? ('warning' as const)
              : ('running' as const),
      clock: c.kind,
      deadline: c.deadline,
    }))
    .sort(
      (a, b) =>
        RANK[a.state] - RANK[b.state] ||
        (a.deadline?.getTime() ?? Infinity) - (b.deadline?.getTime() ?? Infinity),
    );
  return states[0] ?? { state: 'none' };
}
