import { branchStatus, checkStatus } from '@branchwatch/api';
import type { Agent, Branch, Check, Ticket } from '../api/types';
import type { I18n } from '../i18n';
import {
  colorOf,
  emptyCounts,
  groupColor,
  nodeStateOfStatus,
  worstState,
  type GraphCluster,
  type GraphEdge,
  type GraphNode,
  type GroupBy,
  type NocGraph,
  type NodeState,
} from './graphModel';

export interface FleetInput {
  branches: Branch[];
  agents: Agent[];
  checks: Check[];
  tickets: Ticket[];
  groupBy: GroupBy;
  /** A group with more branches than this is folded into a cluster node. */
  clusterThreshold: number;
  /** At most this many failing/flapping branches of a folded group stay outside its cluster. */
  maxLooseProblems: number;
  /** Group keys the user opened: shown branch by branch whatever their size. */
  expanded: ReadonlySet<string>;
}

/** What the fleet map knows about one branch. */
export interface BranchSummary {
  branch: Branch;
  state: NodeState;
  agentsOnline: number;
  agents: number;
  checks: number;
  failing: number;
  openTickets: number;
}

const ALL = '*';

/**
 * The fleet level: one node per branch, grouped by tenant, region or ISP. A group larger than
 * the threshold becomes one cluster node, but its failing and flapping branches stay outside
 * the cluster (up to `maxLooseProblems` of them): on a wall screen the
 * branches that need a person must never hide inside a green blob.
 */
export function buildFleetGraph(input: FleetInput, i18n: I18n): NocGraph {
  const summaries = summarizeBranches(input);
  const groups = groupBranches(summaries, input.groupBy);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const clusters: GraphCluster[] = [];
  const withGroupNodes = input.groupBy !== 'none';

  for (const [key, members] of groups) {
    const groupId = `group:${key}`;
    const label = key === '' ? i18n.t('map.groupUnknown') : key === ALL ? i18n.t('map.all') : key;
    if (withGroupNodes) nodes.push(groupNode(groupId, key, label, members, i18n));

    let loose = members;
    if (members.length > input.clusterThreshold && !input.expanded.has(key)) {
      const problems = members.filter((m) => m.state === 'failing' || m.state === 'flapping');
      loose = problems.length <= input.maxLooseProblems ? problems : [];
      const looseIds = new Set(loose.map((m) => m.branch.id));
      const folded = members.filter((m) => !looseIds.has(m.branch.id));
      const cluster = clusterOf(key, label, folded);
      clusters.push(cluster);
      nodes.push(clusterNode(cluster, folded, i18n));
      if (withGroupNodes) edges.push(memberEdge(groupId, cluster.id, cluster.state));
    }
    for (const member of loose) {
      const node = branchNode(member, key, i18n);
      nodes.push(node);
      if (withGroupNodes) edges.push(memberEdge(groupId, node.id, node.state));
    }
  }
  return { nodes, edges, clusters };
}

/** Per branch: its state (worst of its agents and checks) and the counts its tooltip shows. */
export function summarizeBranches(
  input: Pick<FleetInput, 'branches' | 'agents' | 'checks' | 'tickets'>,
): BranchSummary[] {
  const agentsOf = groupBy(input.agents, (a) => a.branchId);
  const checksOf = groupBy(input.checks, (c) => c.branchId);
  const ticketsOf = groupBy(
    input.tickets.filter((t) => t.state !== 'resolved' && t.state !== 'closed'),
    (t) => t.branchId ?? '',
  );

  return [...input.branches].sort(byName).map((branch) => {
    const agents = agentsOf.get(branch.id) ?? [];
    const checks = checksOf.get(branch.id) ?? [];
    const agentsOnline = agents.filter((a) => a.online).length;
    // The branch's colour is the status model's (packages/api status.ts), the same as on the
    // overview and the branch page: one failing check among healthy ones is degraded, not down.
    const status = branchStatus({ agents, checks }).status;
    // A flapping check (not counted by the model) shows as such unless the branch is down.
    const flapping = checks.some((c) => (c.state as string) === 'flapping');
    const state: NodeState = flapping && status !== 'down' ? 'flapping' : nodeStateOfStatus(status);
    return {
      branch,
      state,
      agentsOnline,
      agents: agents.length,
      checks: checks.length,
      failing: checks.filter((c) => checkStatus(c) === 'down').length,
      openTickets: (ticketsOf.get(branch.id) ?? []).length,
    };
  });
}

function groupKey(branch: Branch, by: GroupBy): string {
  switch (by) {
    case 'tenant':
      return branch.tenant;
    case 'region':
      return branch.region ?? '';
    case 'isp':
      return branch.isp ?? '';
    case 'none':
      return ALL;
  }
}

/** Groups in name order, the group of branches without a key last. */
function groupBranches(summaries: BranchSummary[], by: GroupBy): [string, BranchSummary[]][] {
  const groups = groupBy(summaries, (s) => groupKey(s.branch, by));
  return [...groups.entries()].sort(([a], [b]) =>
    a === '' ? 1 : b === '' ? -1 : collator.compare(a, b),
  );
}

function branchNode(summary: BranchSummary, group: string, { t }: I18n): GraphNode {
  const { branch } = summary;
  const lines = [
    branch.name,
    `${branch.tenant}/${branch.slug}`,
    t('map.agentsOnline', { online: summary.agentsOnline, total: summary.agents }),
    t('map.checksFailing', { failing: summary.failing, total: summary.checks }),
  ];
  if (summary.openTickets > 0) lines.push(t('map.openTickets', { n: summary.openTickets }));
  return {
    id: `branch:${branch.id}`,
    kind: 'branch',
    label: branch.name,
    state: summary.state,
    ownState: summary.state,
    color: colorOf(summary.state),
    // Bigger branches (more checks) weigh more, but never dwarf the rest.
    size: Math.round(10 + Math.min(14, 2 * Math.sqrt(summary.checks))),
    title: lines.join('\n'),
    group,
    parent: null,
    ref: { branchId: branch.id },
  };
}

function clusterOf(key: string, label: string, members: BranchSummary[]): GraphCluster {
  const counts = emptyCounts();
  for (const member of members) counts[member.state] += 1;
  return {
    id: `cluster:${key}`,
    group: key,
    label,
    members: members.map((m) => m.branch.id),
    counts,
    state: worstState(members.map((m) => m.state)),
  };
}

function clusterNode(cluster: GraphCluster, members: BranchSummary[], { t }: I18n): GraphNode {
  const { counts } = cluster;
  const lines = [
    t('map.clusterTitle', { label: cluster.label, n: members.length }),
    t('map.clusterCounts', { ok: counts.ok, failing: counts.failing, unknown: counts.unknown }),
    t('map.clusterOpen'),
  ];
  return {
    id: cluster.id,
    kind: 'cluster',
    label: t('map.clusterLabel', { label: cluster.label, n: members.length }),
    state: cluster.state,
    ownState: cluster.state,
    color: colorOf(cluster.state),
    size: Math.round(20 + Math.min(30, 3 * Math.sqrt(members.length))),
    title: lines.join('\n'),
    group: cluster.group,
    parent: null,
    ref: {},
    count: members.length,
  };
}

function groupNode(
  id: string,
  key: string,
  label: string,
  members: BranchSummary[],
  { t }: I18n,
): GraphNode {
  const state = worstState(members.map((m) => m.state));
  return {
    id,
    kind: 'group',
    label,
    state,
    ownState: state,
    color: groupColor,
    size: 16,
    title: t('map.groupTitle', { label, n: members.length }),
    group: key,
    parent: null,
    ref: {},
    count: members.length,
  };
}

function memberEdge(from: string, to: string, state: NodeState): GraphEdge {
  return {
    id: `member:${to}`,
    from,
    to,
    kind: 'member',
    state,
    color: colorOf(state).border,
    dashes: false,
  };
}

export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
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

function byName(a: Branch, b: Branch): number {
  return collator.compare(a.name, b.name) || collator.compare(a.id, b.id);
}
