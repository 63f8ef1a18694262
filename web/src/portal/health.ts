import { branchStatus, type BranchStatus } from '@branchwatch/api';
import type { Agent, Branch, Check } from '../api/types';

export interface BranchHealth {
  branch: Branch;
  status: BranchStatus;
  /** The checks that do not work, worst first, for the sentence under the status. */
  failing: Check[];
  checks: Check[];
}

/**
 * Each of the person's branches with its status by the one status model (packages/api
 * status.ts), so the portal never disagrees with what the NOC sees; sorted by name.
 */
export function branchHealth(branches: Branch[], agents: Agent[], checks: Check[]): BranchHealth[] {
  return [...branches]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((branch) => {
      const own = agents.filter((a) => a.branchId === branch.id);
      const ids = new Set(own.map((a) => a.id));
      const mine = checks.filter((c) => ids.has(c.agentId));
      const status = branchStatus({ agents: own, checks: mine });
      return {
        branch,
        // Checks that stopped reporting beside ones that never did read "no results yet" to
        // the NOC; to branch staff it is "no news from the branch", not "not watched yet".
        status:
          status.reason === 'noData' && status.counts.stale > 0
            ? { ...status, status: 'stale' as const, reason: 'allStale' as const }
            : status,
        failing: mine.filter((c) => c.state === 'failing'),
        checks: mine,
      };
    });
}
