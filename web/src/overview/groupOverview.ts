import { branchStatus, type BranchStatus } from '@branchwatch/api';
import type { Agent, Branch, Check, CheckState } from '../api/types';

export type StateCounts = Record<CheckState, number>;

export interface AgentGroup {
  agent: Agent;
  checks: Check[];
  counts: StateCounts;
}

export interface BranchGroup {
  /** Null for agents whose branch is not in the branch list (see below). */
  branch: Branch | null;
  agents: AgentGroup[];
  counts: StateCounts;
  /** The branch's colour and why, by the status model (packages/api status.ts). */
  status: BranchStatus;
}

/**
 * Nests checks under their agent and agents under their branch, for the overview.
 *
 * Order is by name (then key), never by state, so rows stay put while states change on a wall
 * screen. The three lists are fetched separately and may disagree for one refresh: an agent
 * whose branch is missing goes into a trailing group with `branch: null`; a check whose agent
 * is missing is left out until the next refresh brings its agent.
 */
export function groupOverview(branches: Branch[], agents: Agent[], checks: Check[]): BranchGroup[] {
  const checksByAgent = groupBy(checks, (check) => check.agentId);
  const agentsByBranch = groupBy(agents, (agent) => agent.branchId);

  const agentGroup = (agent: Agent): AgentGroup => {
    const own = [...(checksByAgent.get(agent.id) ?? [])].sort(byCheckOrder);
    return { agent, checks: own, counts: countStates(own) };
  };
  const branchGroup = (branch: Branch | null, members: Agent[]): BranchGroup => {
    const groups = [...members].sort(byName).map(agentGroup);
    return {
      branch,
      agents: groups,
      counts: sumCounts(groups.map((group) => group.counts)),
      status: branchStatus({ agents: members, checks: groups.flatMap((g) => g.checks) }),
    };
  };

  const known = new Set(branches.map((branch) => branch.id));
  const result = [...branches]
    .sort(byName)
    .map((branch) => branchGroup(branch, agentsByBranch.get(branch.id) ?? []));

  const orphans = agents.filter((agent) => !known.has(agent.branchId));
  if (orphans.length > 0) result.push(branchGroup(null, orphans));
  return result;
}

export function countStates(checks: Pick<Check, 'state'>[]): StateCounts {
  const counts = emptyCounts();
  for (const check of checks) {
    // A state this UI does not know yet counts as unknown rather than disappearing.
    const state: CheckState = check.state in counts ? check.state : 'unknown';
    counts[state] += 1;
  }
  return counts;
}

function emptyCounts(): StateCounts {
  return { ok: 0, failing: 0, unknown: 0 };
}

function sumCounts(all: StateCounts[]): StateCounts {
  const total = emptyCounts();
  for (const counts of all) {
    total.ok += counts.ok;
    total.failing += counts.failing;
    total.unknown += counts.unknown;
  }
  return total;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function byName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return collator.compare(a.name, b.name) || collator.compare(a.id, b.id);
}

function byCheckOrder(a: Check, b: Check): number {
  return collator.compare(a.key, b.key) || collator.compare(a.id, b.id);
}
