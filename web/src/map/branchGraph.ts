import type { Agent, Branch, Check, Topology, TopologyDevice, TopologyLink } from '../api/types';
import { formatMilliseconds, formatPercent } from '../format/numbers';
import type { I18n } from '../i18n';
import {
  colorOf,
  nodeStateOf,
  worstState,
  type GraphEdge,
  type GraphNode,
  type NocGraph,
  type NodeKind,
  type NodeState,
} from './graphModel';
import type { ParentLink } from './parentLinks';

export interface BranchInput {
  branch: Branch;
  agents: Agent[];
  checks: Check[];
  topology: Topology | null;
  /** Parent links between checks (admins add them); a linked child hangs off its parent. */
  links?: readonly ParentLink[];
}

/**
 * One branch: its agents, each agent's WAN check, and behind it the devices (from LLDP and SNMP
 * discovery) and the checks it runs. The dependency chain is agent → WAN check → everything
 * else, and LLDP links hang neighbours off the device that reported them; a node whose parent
 * is down is `suppressed`, which is what the hub does with their alerts (docs/architecture.md
 * "Alerts become tickets").
 */
export function buildBranchGraph(input: BranchInput, i18n: I18n): NocGraph {
  const { branch } = input;
  const builder = new GraphBuilder();
  const rootId = `branch:${branch.id}`;
  const agents = input.agents.filter((a) => a.branchId === branch.id);
  const agentIds = new Set(agents.map((a) => a.id));
  const checks = input.checks.filter((c) => agentIds.has(c.agentId));

  for (const agent of sortBy(agents, (a) => a.name)) {
    const agentId = `agent:${agent.id}`;
    builder.node(agentId, 'agent', agent.name, agent.online ? 'ok' : 'failing', rootId, {
      agentId: agent.id,
    }).title = [agent.name, i18n.t(agent.online ? 'agent.online' : 'agent.offline')].join('\n');
    builder.edge('depends', rootId, agentId);

    const own = sortBy(
      checks.filter((c) => c.agentId === agent.id),
      (c) => c.key,
    );
    const wan = own.find(isWanCheck) ?? null;
    let front = agentId;
    if (wan) {
      front = `check:${wan.id}`;
      checkNode(builder, wan, 'wan', agentId, i18n);
      builder.edge('depends', agentId, front, measurement(wan, i18n));
    }
    const devices = (input.topology?.devices ?? []).filter((d) => d.agentId === agent.id);
    const claimed = addDevices(builder, devices, own, front, agent.id, i18n);
    for (const check of own) {
      if (check === wan || claimed.has(check.id)) continue;
      checkNode(builder, check, 'check', front, i18n);
      builder.edge('depends', front, `check:${check.id}`, measurement(check, i18n));
    }
    const links = (input.topology?.links ?? []).filter((l) => l.agentId === agent.id);
    addLinks(builder, links, devices, own, agent.id, i18n);
  }
  addParentLinks(builder, input.links ?? [], i18n);

  // A device nobody checks is not monitored, not a problem: it does not grey the branch.
  const states = [...builder.nodes.values()]
    .filter((n) => !(n.kind === 'device' && n.ownState === 'unknown'))
    .map((n) => n.ownState);
  const rootState = agents.length === 0 ? 'unknown' : worstState(['ok', ...states]);
  builder.node(rootId, 'branch', branch.name, rootState, null, { branchId: branch.id }).title =
    branch.name;
  return builder.finish(rootId);
}

/**
 * The check that says whether the branch reaches the world: the one configured with
 * `role: 'wan'`, or else one whose key names the WAN (`wan`, `wan-ping`, `isp1-wan`).
 * The hub has no such flag yet (reported); the key is the convention until it does.
 */
export function isWanCheck(check: Check): boolean {
  if (check.options?.role === 'wan') return true;
  return /(^|[-_.])wan([-_.\d]|$)/i.test(check.key);
}

/** `host` of `host`, `host:port`, `[v6]:port` or a URL; what a device's address is compared to. */
export function targetHost(target: string): string {
  try {
    if (target.includes('://')) return new URL(target).hostname.replace(/^\[|\]$/g, '');
  } catch {
    // Not a URL after all: fall through.
  }
  const bracketed = /^\[([^\]]+)\]/.exec(target);
  if (bracketed) return bracketed[1]!;
  const parts = target.split(':');
  return parts.length === 2 ? parts[0]! : target;
}

function checkNode(b: GraphBuilder, check: Check, kind: NodeKind, parent: string, i18n: I18n) {
  b.checkNodes.set(check.id, `check:${check.id}`);
  const node = b.node(`check:${check.id}`, kind, `${check.key}`, nodeStateOf(check), parent, {
    checkId: check.id,
    agentId: check.agentId,
  });
  node.title = [`${check.type} ${check.target}`, measurement(check, i18n) ?? '']
    .filter((line) => line !== '')
    .join('\n');
}

/** Devices the agent reaches; the checks aimed at a device's address fold into it. */
function addDevices(
  b: GraphBuilder,
  devices: TopologyDevice[],
  checks: Check[],
  front: string,
  agentId: string,
  i18n: I18n,
): Set<string> {
  const claimed = new Set<string>();
  for (const device of sortBy(devices, (d) => d.deviceId)) {
    const aimed = checks.filter(
      (c) => device.address !== null && targetHost(c.target) === device.address && !isWanCheck(c),
    );
    const id = deviceId(agentId, device.deviceId);
    for (const check of aimed) {
      claimed.add(check.id);
      b.checkNodes.set(check.id, id);
    }
    const state = aimed.length === 0 ? 'unknown' : worstState(aimed.map((c) => nodeStateOf(c)));
    // A device only seen as an LLDP neighbour hangs off its neighbour (see addLinks).
    const node = b.node(id, 'device', device.sysName ?? device.deviceId, state, front, {
      agentId,
      deviceId: device.deviceId,
    });
    node.title = [
      device.sysName ?? device.deviceId,
      device.address ?? '',
      device.sysDescr ?? '',
      ...aimed.map((c) => `${c.type} ${c.target}: ${i18n.t(`state.${stateKey(c.state)}`)}`),
    ]
      .filter((line) => line !== '')
      .join('\n');
    if (device.address !== null) b.edge('depends', front, id, measurementFor(aimed, i18n));
  }
  return claimed;
}

/**
 * Parent links an admin added: the child's node (its check, or the device its check is aimed
 * at) moves behind the parent's node, so the chain shows what a failing parent suppresses.
 * Links to checks outside this branch, to itself, or that would close a loop are left out.
 */
function addParentLinks(b: GraphBuilder, links: readonly ParentLink[], i18n: I18n) {
  for (const link of links) {
    const childId = b.checkNodes.get(link.childCheckId);
    const parentId = b.checkNodes.get(link.parentCheckId);
    const child = childId === undefined ? undefined : b.nodes.get(childId);
    if (child === undefined || parentId === undefined || parentId === childId) continue;
    if (b.chainOf(parentId).includes(child.id)) continue;
    for (const [key, edge] of b.edges) {
      if (edge.kind === 'depends' && edge.to === child.id) b.edges.delete(key);
    }
    child.parent = parentId;
    const edge = b.edge('depends', parentId, child.id, undefined, `parent:${link.id}`);
    edge.title = i18n.t('map.parentLink');
  }
}

/** LLDP links, once per pair of ports even when both ends report them. */
function addLinks(
  b: GraphBuilder,
  links: TopologyLink[],
  devices: TopologyDevice[],
  checks: Check[],
  agentId: string,
  i18n: I18n,
) {
  const known = new Map<string, TopologyDevice>();
  for (const d of devices) {
    known.set(d.deviceId, d);
    if (d.sysName) known.set(d.sysName, d);
  }
  for (const link of links) {
    const from = deviceId(agentId, link.localDevice);
    const remote = known.get(link.remoteSysName ?? '') ?? known.get(link.remoteChassisId) ?? null;
    const to = deviceId(agentId, remote?.deviceId ?? link.remoteSysName ?? link.remoteChassisId);
    if (!b.nodes.has(from)) {
      b.node(from, 'device', link.localDevice, 'unknown', null, {
        agentId,
        deviceId: link.localDevice,
      }).title = link.localDevice;
    }
    if (!b.nodes.has(to)) {
      const name = link.remoteSysName ?? link.remoteChassisId;
      b.node(to, 'device', name, 'unknown', from, { agentId, deviceId: name }).title = [
        name,
        link.remoteChassisId,
      ].join('\n');
    }
    const ends = [`${from}|${link.localPort}`, `${to}|${link.remotePort}`].sort();
    const key = `lldp:${ends.join('~')}`;
    if (b.edges.has(key)) continue;
    // The latency of a link is that of the check aimed at its far end, else its near end.
    const aimedAt = (device: TopologyDevice | null | undefined) =>
      device?.address ? checks.filter((c) => targetHost(c.target) === device.address) : [];
    const remoteChecks = aimedAt(remote);
    const label = measurementFor(
      remoteChecks.length > 0 ? remoteChecks : aimedAt(known.get(link.localDevice)),
      i18n,
    );
    const edge = b.edge('lldp', from, to, label, key);
    edge.title = i18n.t('map.lldpLink', { local: link.localPort, remote: link.remotePort });
  }
}

/** "12 ms · 0 %" from an icmp (or voice) check's last round; undefined without one. */
export function measurement(check: Check, i18n: I18n): string | undefined {
  const fields = check.lastResult?.fields;
  if (!fields) return undefined;
  const median = fields.median ?? fields.rttMean ?? null;
  const loss = fields.loss ?? null;
  if (median === null && loss === null) return undefined;
  const parts: string[] = [];
  if (typeof median === 'number') {
    parts.push(i18n.t('map.latency', { ms: formatMilliseconds(median, i18n.locale) }));
  }
  if (typeof loss === 'number') {
    parts.push(i18n.t('map.loss', { percent: formatPercent(loss, i18n.locale) }));
  }
  return parts.join(i18n.t('result.separator'));
}

function measurementFor(checks: Check[], i18n: I18n): string | undefined {
  const icmp = checks.find((c) => c.type === 'icmp') ?? checks.find((c) => c.type === 'voice');
  return icmp ? measurement(icmp, i18n) : undefined;
}

function deviceId(agentId: string, id: string): string {
  return `device:${agentId}/${id}`;
}

function stateKey(state: string): 'ok' | 'failing' | 'unknown' {
  return state === 'ok' || state === 'failing' ? state : 'unknown';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => collator.compare(key(a), key(b)));
}

/** Collects nodes and edges, then applies suppression down the dependency chain. */
class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** The node that stands for each check: its own, or the device it is aimed at. */
  readonly checkNodes = new Map<string, string>();

  /** `id` and the ids of the nodes it depends on, nearest first (stops at a loop). */
  chainOf(id: string): string[] {
    const chain: string[] = [];
    let node = this.nodes.get(id);
    while (node !== undefined && !chain.includes(node.id)) {
      chain.push(node.id);
      node = node.parent === null ? undefined : this.nodes.get(node.parent);
    }
    return chain;
  }

  node(
    id: string,
    kind: NodeKind,
    label: string,
    state: NodeState,
    parent: string | null,
    ref: GraphNode['ref'],
  ): GraphNode {
    const node: GraphNode = {
      id,
      kind,
      label,
      state,
      ownState: state,
      color: colorOf(state),
      size: kind === 'branch' ? 26 : kind === 'agent' ? 20 : kind === 'wan' ? 16 : 12,
      title: label,
      group: null,
      parent,
      ref,
    };
    this.nodes.set(id, node);
    return node;
  }

  edge(kind: GraphEdge['kind'], from: string, to: string, label?: string, id?: string) {
    const key = id ?? `${kind}:${from}->${to}`;
    const edge: GraphEdge = { id: key, from, to, kind, state: 'unknown', color: '', dashes: false };
    if (label !== undefined) edge.label = label;
    this.edges.set(key, edge);
    return edge;
  }

  /** Root first, then in insertion order; suppression follows `parent` links. */
  finish(rootId: string): NocGraph {
    const suppressing = (node: GraphNode | undefined, depth = 0): boolean => {
      // The branch root only sums up its children: it never suppresses them.
      if (!node || node.kind === 'branch' || depth > this.nodes.size) return false;
      return node.ownState === 'failing' || suppressing(this.parentOf(node), depth + 1);
    };
    for (const node of this.nodes.values()) {
      if (suppressing(this.parentOf(node))) {
        node.state = 'suppressed';
        node.color = colorOf('suppressed');
      }
    }
    for (const edge of this.edges.values()) {
      const target = this.nodes.get(edge.to);
      edge.state = target?.state ?? 'unknown';
      edge.color = colorOf(edge.state).border;
      edge.dashes = edge.state === 'suppressed';
    }
    const root = this.nodes.get(rootId);
    const rest = [...this.nodes.values()].filter((n) => n.id !== rootId);
    return { nodes: root ? [root, ...rest] : rest, edges: [...this.edges.values()], clusters: [] };
  }

  private parentOf(node: GraphNode): GraphNode | undefined {
    return node.parent === null ? undefined : this.nodes.get(node.parent);
  }
}
