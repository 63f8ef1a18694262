import { checkStatus, type Status } from '@branchwatch/api';
import type { Check } from '../api/types';
import type { BranchGroup } from './groupOverview';

export const OVERVIEW_FILTERS = ['all', 'problems', 'down', 'degraded', 'stale'] as const;
export type OverviewFilter = (typeof OVERVIEW_FILTERS)[number];

const PROBLEMS: readonly Status[] = ['down', 'degraded', 'stale'];

function statusMatches(status: Status, filter: OverviewFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'problems') return PROBLEMS.includes(status);
  return status === filter;
}

/**
 * The overview narrowed to checks that match the search (in the check's name, target, type,
 * its agent's or branch's name) and the status filter. Branches and agents without a
 * matching check are left out, unless nothing narrows the view.
 */
export function filterOverview(
  groups: BranchGroup[],
  query: string,
  filter: OverviewFilter,
): BranchGroup[] {
  const words = query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && filter === 'all') return groups;
  const matches = (check: Check, context: string) => {
    if (!statusMatches(checkStatus(check), filter)) return false;
    const text = `${check.key} ${check.target} ${check.type} ${context}`.toLocaleLowerCase();
    return words.every((w) => text.includes(w));
  };
  return groups.flatMap((group) => {
    const agents = group.agents.flatMap((a) => {
      const context = `${a.agent.name} ${a.agent.slug} ${group.branch?.name ?? ''}`;
      const checks = a.checks.filter((c) => matches(c, context));
      return checks.length > 0 ? [{ ...a, checks }] : [];
    });
    return agents.length > 0 ? [{ ...group, agents }] : [];
  });
}
