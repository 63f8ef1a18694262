import type { Agent, Branch, Check, Ticket, Topology } from '../api/types';
import type { I18n } from '../i18n';
import { buildBranchGraph } from './branchGraph';
import { buildFleetGraph } from './fleetGraph';
import type { GroupBy, MapLevel, NocGraph } from './graphModel';
import type { ParentLink } from './parentLinks';

export interface NocGraphInput {
  branches: Branch[];
  agents: Agent[];
  checks: Check[];
  tickets: Ticket[];
  /** The branch's discovered devices and links, at branch level. */
  topology?: Topology | null;
  /** Branch level: parent links between checks. */
  parentLinks?: readonly ParentLink[];
  level: MapLevel;
  groupBy: GroupBy;
  /** Fleet level: groups shown branch by branch even when large. */
  expanded?: Iterable<string>;
  /** Fleet level: a group with more branches than this becomes a cluster (default 40). */
  clusterThreshold?: number;
  /** Fleet level: failing branches of a cluster drawn on their own, at most (default 200). */
  maxLooseProblems?: number;
}

export const DEFAULT_CLUSTER_THRESHOLD = 40;
export const DEFAULT_MAX_LOOSE_PROBLEMS = 200;

/**
 * The NOC map as data: nodes, edges and clusters with ids, labels, colours, sizes and tooltips,
 * computed from what the hub lists. Pure (same input, same graph) so it is tested without a
 * browser, and the map component only draws it — like Grafana's nodeGraph panel.
 */
export function buildNocGraph(input: NocGraphInput, i18n: I18n): NocGraph {
  if (input.level === 'fleet') {
    return buildFleetGraph(
      {
        branches: input.branches,
        agents: input.agents,
        checks: input.checks,
        tickets: input.tickets,
        groupBy: input.groupBy,
        clusterThreshold: input.clusterThreshold ?? DEFAULT_CLUSTER_THRESHOLD,
        maxLooseProblems: input.maxLooseProblems ?? DEFAULT_MAX_LOOSE_PROBLEMS,
        expanded: new Set(input.expanded ?? []),
      },
      i18n,
    );
  }
  const branchId = input.level.branch;
  const branch = input.branches.find((b) => b.id === branchId);
  if (!branch) return { nodes: [], edges: [], clusters: [] };
  return buildBranchGraph(
    {
      branch,
      agents: input.agents,
      checks: input.checks,
      topology: input.topology?.branch.id === branchId ? input.topology : null,
      links: input.parentLinks ?? [],
    },
    i18n,
  );
}
