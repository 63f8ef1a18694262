// The shape of the NOC map, independent of whatever draws it (vis-network, or the SVG view).
// Like Grafana's nodeGraph data frames: plain nodes and edges with ids, labels and state, so the
// renderer only maps them onto its own objects.

import { checkStatus, type Status, type StatusCheck } from '@branchwatch/api';

/**
 * What a node shows. `suppressed`: the node's own state does not count because something it
 * depends on (its agent, its WAN link, the device in front of it) is down; `flapping` changes
 * too often to open tickets (docs/architecture.md "Alerts become tickets").
 */
export type NodeState =
  'ok' | 'degraded' | 'failing' | 'stale' | 'unknown' | 'flapping' | 'suppressed';

export const NODE_STATES: readonly NodeState[] = [
  'failing',
  'degraded',
  'flapping',
  'stale',
  'suppressed',
  'unknown',
  'ok',
] as const;

export type NodeKind = 'group' | 'cluster' | 'branch' | 'agent' | 'wan' | 'check' | 'device';

export interface NodeColor {
  background: string;
  border: string;
}

export interface GraphNode {
  /** Unique in one graph: `<kind>:<id>` (devices: `device:<agentId>/<deviceId>`). */
  id: string;
  kind: NodeKind;
  label: string;
  state: NodeState;
  /** The node's own state when `state` is `suppressed`. */
  ownState: NodeState;
  color: NodeColor;
  /** Radius-like size in pixels. */
  size: number;
  /** Tooltip, one fact per line. */
  title: string;
  /** The group key this node sits in at fleet level (tenant, region, ISP), else null. */
  group: string | null;
  /** The node this one depends on (the dependency chain), null for roots. */
  parent: string | null;
  /** Ids in the hub's terms, for navigation. */
  ref: { branchId?: string; agentId?: string; checkId?: string; deviceId?: string };
  /** Clusters and groups: how many branches they hold. */
  count?: number;
}

/** `member`: belongs to a group; `depends`: a dependency; `lldp`: a discovered link. */
export type EdgeKind = 'member' | 'depends' | 'lldp';

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  /** The state of what the edge leads to, so a down path stands out. */
  state: NodeState;
  color: string;
  /** Dashed when it leads to something suppressed. */
  dashes: boolean;
  /** Latency and loss when a measurement covers this link. */
  label?: string;
  title?: string;
}

export type StateCounts = Record<NodeState, number>;

/** Branches of one group folded into one node, so 5,000 branches stay readable. */
export interface GraphCluster {
  /** The cluster's node id. */
  id: string;
  group: string;
  label: string;
  /** Branch ids inside the cluster. */
  members: string[];
  counts: StateCounts;
  state: NodeState;
}

export interface NocGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

export type GroupBy = 'tenant' | 'region' | 'isp' | 'none';

export type MapLevel = 'fleet' | { branch: string };

// Mid-tones that read on both light and dark grounds (Mantine's 7/8 shades).
const palette: Record<NodeState, NodeColor> = {
  ok: { background: '#37b24d', border: '#2b8a3e' },
  failing: { background: '#f03e3e', border: '#c92a2a' },
  degraded: { background: '#fd7e14', border: '#d9480f' },
  stale: { background: '#7950f2', border: '#5f3dc4' },
  unknown: { background: '#868e96', border: '#495057' },
  flapping: { background: '#f59f00', border: '#e67700' },
  suppressed: { background: '#ced4da', border: '#868e96' },
};

export const groupColor: NodeColor = { background: '#5c7cfa', border: '#3b5bdb' };

export function colorOf(state: NodeState): NodeColor {
  return palette[state];
}

export function emptyCounts(): StateCounts {
  return { ok: 0, degraded: 0, failing: 0, stale: 0, unknown: 0, flapping: 0, suppressed: 0 };
}

const severity: Record<NodeState, number> = {
  failing: 6,
  degraded: 5,
  flapping: 4,
  stale: 3,
  suppressed: 2,
  unknown: 1,
  ok: 0,
};

/** The state that needs attention most; `unknown` for nothing at all. */
export function worstState(states: Iterable<NodeState>): NodeState {
  let worst: NodeState | null = null;
  for (const state of states) {
    if (worst === null || severity[state] > severity[worst]) worst = state;
  }
  return worst ?? 'unknown';
}

/** A status of the status model (packages/api status.ts) as a node state. */
export function nodeStateOfStatus(status: Status): NodeState {
  switch (status) {
    case 'down':
      return 'failing';
    case 'maintenance':
      return 'suppressed';
    case 'pending':
      return 'unknown';
    default:
      return status;
  }
}

/** A check as a node state, by the status model (stale and degraded included). */
export function nodeStateOf(check: StatusCheck & { state: string }): NodeState {
  if ((check.state as string) === 'flapping') return 'flapping';
  return nodeStateOfStatus(checkStatus(check));
}

/**
 * The node a suppressed node is behind: the nearest node up its dependency chain that is down
 * on its own account; null when nothing is (the node is not suppressed).
 */
export function suppressorOf(graph: NocGraph, node: GraphNode): GraphNode | null {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>([node.id]);
  let up = node.parent === null ? undefined : byId.get(node.parent);
  while (up !== undefined && !seen.has(up.id)) {
    if (up.kind !== 'branch' && up.ownState === 'failing') return up;
    seen.add(up.id);
    up = up.parent === null ? undefined : byId.get(up.parent);
  }
  return null;
}
