import { describe, expect, it } from 'vitest';
import type { Agent, Branch, Check, CheckResult, Ticket, Topology } from '../api/types';
import { defaultI18n } from '../i18n';
import { targetHost } from './branchGraph';
import { buildNocGraph, type NocGraphInput } from './buildNocGraph';
import { suppressorOf } from './graphModel';
import { aBranch, aCheck, anAgent, aTicket } from '../api/testing';

function branch(id: string, name: string, extra: Partial<Branch> = {}): Branch {
  return aBranch({ id, name, ...extra });
}

function agent(id: string, branchId: string, online = true): Agent {
  return anAgent({ id, branchId, name: `srv-${id}`, online });
}

function icmpResult(median: number | null, loss: number): CheckResult {
  return { at: '2026-11-21T10:00:00Z', status: 'ok', reason: null, fields: { median, loss } };
}

function check(
  id: string,
  agentId: string,
  branchId: string,
  key: string,
  state: Check['state'] = 'ok',
  extra: Partial<Check> = {},
): Check {
  const made = aCheck({ id, agentId, branchId, key, state, ...extra });
  // A failing check's last round failed (an ok round would make it degraded: a threshold).
  return state === 'failing' && made.lastResult
    ? { ...made, lastResult: { ...made.lastResult, status: 'failed' } }
    : made;
}

function ticket(id: string, branchId: string, state: Ticket['state'] = 'open'): Ticket {
  return aTicket({
    id,
    number: 1,
    subject: 's',
    state,
    priority: 'normal',
    source: 'alert',
    branchId,
    agentId: null,
    checkId: null,
    openedAt: '2026-11-21T10:00:00Z',
    resolvedAt: null,
  });
}

const fleet = (partial: Partial<NocGraphInput>): NocGraphInput => ({
  branches: [],
  agents: [],
  checks: [],
  tickets: [],
  level: 'fleet',
  groupBy: 'none',
  ...partial,
});

const brief = (graph: ReturnType<typeof buildNocGraph>) => ({
  nodes: graph.nodes.map((n) => [n.id, n.kind, n.label, n.state]),
  edges: graph.edges.map((e) => [e.from, e.to, e.kind, e.state, e.label ?? null]),
});

describe('buildNocGraph at fleet level', () => {
  it('colours each branch by its worst agent or check, with a tooltip of counts', () => {
    const graph = buildNocGraph(
      fleet({
        branches: [
          branch('b1', 'Tabriz'),
          branch('b2', 'Isfahan'),
          branch('b3', 'Shiraz'),
          branch('b4', 'Yazd'),
          branch('b5', 'Kerman'),
        ],
        agents: [agent('a1', 'b1'), agent('a2', 'b2'), agent('a3', 'b3', false), agent('a5', 'b5')],
        checks: [
          check('c1', 'a1', 'b1', 'wan'),
          // The branch's WAN check (role wan) down: the branch is down, though its DNS is fine.
          check('c2', 'a2', 'b2', 'wan', 'failing', { role: 'wan' }),
          check('c3', 'a2', 'b2', 'dns', 'ok'),
          check('c4', 'a3', 'b3', 'wan', 'ok'),
          // A state the hub may add: the map already shows it.
          check('c5', 'a5', 'b5', 'wan', 'flapping' as Check['state']),
        ],
        tickets: [ticket('t1', 'b2'), ticket('t2', 'b2', 'resolved')],
      }),
      defaultI18n,
    );
    expect(brief(graph)).toEqual({
      nodes: [
        ['branch:b2', 'branch', 'Isfahan', 'failing'],
        ['branch:b5', 'branch', 'Kerman', 'flapping'],
        // Offline agent: down, whatever its stale checks said.
        ['branch:b3', 'branch', 'Shiraz', 'failing'],
        ['branch:b1', 'branch', 'Tabriz', 'ok'],
        // No agent yet: unknown.
        ['branch:b4', 'branch', 'Yazd', 'unknown'],
      ],
      edges: [],
    });
    expect(graph.clusters).toEqual([]);
    expect(graph.nodes[0]).toMatchObject({
      title: 'Isfahan\nacme/b2\n1/1 agents online\n1/2 checks failing\n1 open ticket',
      color: { background: '#f03e3e', border: '#c92a2a' },
      size: 13,
      ref: { branchId: 'b2' },
      group: '*',
    });
  });

  it('adds a node per group and links its branches to it', () => {
    const graph = buildNocGraph(
      fleet({
        groupBy: 'region',
        branches: [
          branch('b1', 'Tabriz', { region: 'north' }),
          branch('b2', 'Bandar', { region: 'south' }),
          branch('b3', 'Rasht', { region: 'north' }),
          branch('b4', 'Nowhere'),
        ],
      }),
      defaultI18n,
    );
    expect(brief(graph)).toEqual({
      nodes: [
        ['group:north', 'group', 'north', 'unknown'],
        ['branch:b3', 'branch', 'Rasht', 'unknown'],
        ['branch:b1', 'branch', 'Tabriz', 'unknown'],
        ['group:south', 'group', 'south', 'unknown'],
        ['branch:b2', 'branch', 'Bandar', 'unknown'],
        ['group:', 'group', 'Not set', 'unknown'],
        ['branch:b4', 'branch', 'Nowhere', 'unknown'],
      ],
      edges: [
        ['group:north', 'branch:b3', 'member', 'unknown', null],
        ['group:north', 'branch:b1', 'member', 'unknown', null],
        ['group:south', 'branch:b2', 'member', 'unknown', null],
        ['group:', 'branch:b4', 'member', 'unknown', null],
      ],
    });
  });

  it('folds a large group into a cluster but keeps its failing branches outside', () => {
    const branches = ['b1', 'b2', 'b3', 'b4'].map((id) => branch(id, id, { tenant: 't' }));
    const agents = branches.map((b) => agent(`a-${b.id}`, b.id));
    const checks = [check('c1', 'a-b3', 'b3', 'wan', 'failing')];
    const input = fleet({ groupBy: 'tenant', branches, agents, checks, clusterThreshold: 3 });
    const graph = buildNocGraph(input, defaultI18n);
    expect(brief(graph)).toEqual({
      nodes: [
        ['group:t', 'group', 't', 'failing'],
        ['cluster:t', 'cluster', 't (3)', 'ok'],
        ['branch:b3', 'branch', 'b3', 'failing'],
      ],
      edges: [
        ['group:t', 'cluster:t', 'member', 'ok', null],
        ['group:t', 'branch:b3', 'member', 'failing', null],
      ],
    });
    expect(graph.clusters).toEqual([
      {
        id: 'cluster:t',
        group: 't',
        label: 't',
        members: ['b1', 'b2', 'b4'],
        counts: {
          ok: 3,
          degraded: 0,
          failing: 0,
          stale: 0,
          unknown: 0,
          flapping: 0,
          suppressed: 0,
        },
        state: 'ok',
      },
    ]);

    // Opened by the user: every branch again.
    const open = buildNocGraph({ ...input, expanded: ['t'] }, defaultI18n);
    expect(open.clusters).toEqual([]);
    expect(open.nodes.filter((n) => n.kind === 'branch')).toHaveLength(4);
  });

  it('keeps 5,000 branches to a few hundred nodes, every id once', () => {
    const branches: Branch[] = [];
    const agents: Agent[] = [];
    const checks: Check[] = [];
    for (let i = 0; i < 5000; i += 1) {
      const id = `b${i}`;
      const tenant = `tenant-${Math.floor(i / 500)}`;
      branches.push(branch(id, `Branch ${i}`, { tenant, isp: `isp-${i % 3}` }));
      agents.push(agent(`a${i}`, id, i % 500 !== 7));
      checks.push(check(`c${i}`, `a${i}`, id, 'wan', i % 100 === 3 ? 'failing' : 'ok'));
    }
    const graph = buildNocGraph(
      fleet({ groupBy: 'tenant', branches, agents, checks }),
      defaultI18n,
    );

    // Per tenant (500 branches): 5 failing (i % 100 = 3) and 1 offline (i % 500 = 7) stay out.
    expect(graph.clusters).toHaveLength(10);
    expect(graph.clusters.map((c) => c.members.length)).toEqual(Array(10).fill(494));
    expect(graph.nodes.filter((n) => n.kind === 'branch')).toHaveLength(60);
    expect(graph.nodes).toHaveLength(10 + 10 + 60);
    expect(graph.edges).toHaveLength(70);
    const ids = graph.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
    const inClusters = graph.clusters.reduce((n, c) => n + c.members.length, 0);
    expect(inClusters + 60).toBe(5000);

    const byIsp = buildNocGraph(fleet({ groupBy: 'isp', branches, agents, checks }), defaultI18n);
    expect(byIsp.clusters.map((c) => c.group)).toEqual(['isp-0', 'isp-1', 'isp-2']);
    expect(byIsp.nodes).toHaveLength(3 + 3 + 60);

    // Ungrouped: one cluster of the quiet ones, the 60 that need a person on their own.
    const flat = buildNocGraph(fleet({ branches, agents, checks }), defaultI18n);
    expect(flat.nodes).toHaveLength(61);
    expect(flat.edges).toHaveLength(0);
  });

  it('clusters everything when even the failing branches are too many', () => {
    const branches = ['b1', 'b2', 'b3'].map((id) => branch(id, id));
    const agents = branches.map((b) => agent(`a-${b.id}`, b.id, false));
    const graph = buildNocGraph(
      fleet({ branches, agents, clusterThreshold: 2, maxLooseProblems: 2 }),
      defaultI18n,
    );
    expect(brief(graph).nodes).toEqual([['cluster:*', 'cluster', 'All branches (3)', 'failing']]);
  });
});

describe('buildNocGraph at branch level', () => {
  const hq = branch('b1', 'HQ');
  const topology: Topology = {
    branch: { id: 'b1', slug: 'b1', name: 'HQ' },
    agents: [],
    devices: [dev('core-sw', '192.0.2.2'), dev('router', '192.0.2.1')],
    links: [
      link('core-sw', 'ge-0/0/1', 'router', 'eth0'),
      // The router reports the same link from its side: drawn once.
      link('router', 'eth0', 'core-sw', 'ge-0/0/1'),
      link('core-sw', 'ge-0/0/2', 'ap-3', 'lan1'),
    ],
  };
  const checks = [
    check('wan', 'a1', 'b1', 'wan-ping', 'ok', {
      target: '203.0.113.1',
      lastResult: icmpResult(24.4, 0),
    }),
    check('rt', 'a1', 'b1', 'router-ping', 'ok', {
      target: '192.0.2.1',
      lastResult: icmpResult(0.4, 10),
    }),
    check('web', 'a1', 'b1', 'intranet', 'failing', { type: 'tcp', target: '198.51.100.7:443' }),
  ];

  it('draws agent → WAN → devices and checks, LLDP links labelled with latency and loss', () => {
    const graph = buildNocGraph(
      {
        ...fleet({}),
        branches: [hq],
        agents: [agent('a1', 'b1')],
        checks,
        topology,
        level: { branch: 'b1' },
      },
      defaultI18n,
    );
    expect(brief(graph)).toEqual({
      nodes: [
        ['branch:b1', 'branch', 'HQ', 'failing'],
        ['agent:a1', 'agent', 'srv-a1', 'ok'],
        ['check:wan', 'wan', 'wan-ping', 'ok'],
        ['device:a1/core-sw', 'device', 'core-sw', 'unknown'],
        ['device:a1/router', 'device', 'router', 'ok'],
        ['check:web', 'check', 'intranet', 'failing'],
        ['device:a1/ap-3', 'device', 'ap-3', 'unknown'],
      ],
      edges: [
        ['branch:b1', 'agent:a1', 'depends', 'ok', null],
        ['agent:a1', 'check:wan', 'depends', 'ok', '24 ms · 0 %'],
        ['check:wan', 'device:a1/core-sw', 'depends', 'unknown', null],
        ['check:wan', 'device:a1/router', 'depends', 'ok', '0.4 ms · 10 %'],
        ['check:wan', 'check:web', 'depends', 'failing', null],
        ['device:a1/core-sw', 'device:a1/router', 'lldp', 'ok', '0.4 ms · 10 %'],
        ['device:a1/core-sw', 'device:a1/ap-3', 'lldp', 'unknown', null],
      ],
    });
    const lldp = graph.edges.find((e) => e.kind === 'lldp');
    expect(lldp?.title).toBe('LLDP ge-0/0/1 ↔ eth0');
    expect(graph.nodes.find((n) => n.id === 'device:a1/ap-3')?.parent).toBe('device:a1/core-sw');
  });

  it('marks everything behind a failing WAN check as suppressed, keeping its own state', () => {
    const down = checks.map((c) =>
      c.id === 'wan'
        ? {
            ...c,
            state: 'failing' as const,
            lastResult: c.lastResult && { ...c.lastResult, status: 'failed' as const },
          }
        : c,
    );
    const graph = buildNocGraph(
      {
        ...fleet({}),
        branches: [hq],
        agents: [agent('a1', 'b1')],
        checks: down,
        topology,
        level: { branch: 'b1' },
      },
      defaultI18n,
    );
    const states = Object.fromEntries(graph.nodes.map((n) => [n.id, [n.state, n.ownState]]));
    expect(states).toEqual({
      'branch:b1': ['failing', 'failing'],
      'agent:a1': ['ok', 'ok'],
      'check:wan': ['failing', 'failing'],
      'device:a1/core-sw': ['suppressed', 'unknown'],
      'device:a1/router': ['suppressed', 'ok'],
      'check:web': ['suppressed', 'failing'],
      'device:a1/ap-3': ['suppressed', 'unknown'],
    });
    const dashed = graph.edges.filter((e) => e.dashes).map((e) => e.to);
    expect(dashed).toEqual([
      'device:a1/core-sw',
      'device:a1/router',
      'check:web',
      'device:a1/router',
      'device:a1/ap-3',
    ]);
  });

  it('suppresses the whole chain of an offline agent', () => {
    const graph = buildNocGraph(
      {
        ...fleet({}),
        branches: [hq],
        agents: [agent('a1', 'b1', false)],
        checks,
        topology: null,
        level: { branch: 'b1' },
      },
      defaultI18n,
    );
    expect(brief(graph).nodes).toEqual([
      ['branch:b1', 'branch', 'HQ', 'failing'],
      ['agent:a1', 'agent', 'srv-a1', 'failing'],
      ['check:wan', 'wan', 'wan-ping', 'suppressed'],
      ['check:web', 'check', 'intranet', 'suppressed'],
      ['check:rt', 'check', 'router-ping', 'suppressed'],
    ]);
  });

  it('hangs a linked child behind its parent check and suppresses it while the parent fails', () => {
    // A camera behind the router: linked by an admin (router-ping parent of cam-1).
    const withCamera = [
      ...checks,
      check('cam', 'a1', 'b1', 'cam-1', 'failing', { type: 'tcp', target: '198.51.100.9:554' }),
    ];
    const links = [
      { id: 'l1', tenantId: 't', parentCheckId: 'web', childCheckId: 'cam' },
      // Out of this branch: ignored. A loop back to the parent: ignored.
      { id: 'l2', tenantId: 't', parentCheckId: 'elsewhere', childCheckId: 'web' },
      { id: 'l3', tenantId: 't', parentCheckId: 'cam', childCheckId: 'web' },
    ];
    const graph = buildNocGraph(
      {
        ...fleet({}),
        branches: [hq],
        agents: [agent('a1', 'b1')],
        checks: withCamera,
        topology: null,
        level: { branch: 'b1' },
        parentLinks: links,
      },
      defaultI18n,
    );
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(byId.get('check:cam')).toMatchObject({
      parent: 'check:web',
      state: 'suppressed',
      ownState: 'failing',
    });
    // The parent itself fails on its own account: its WAN is fine.
    expect(byId.get('check:web')).toMatchObject({ parent: 'check:wan', state: 'failing' });
    const intoCamera = graph.edges.filter((e) => e.to === 'check:cam');
    expect(intoCamera.map((e) => [e.id, e.from, e.kind, e.dashes])).toEqual([
      ['parent:l1', 'check:web', 'depends', true],
    ]);
    expect(intoCamera[0]?.title).toBe(
      'Parent link: while the parent fails, this opens no ticket of its own',
    );
    expect(suppressorOf(graph, byId.get('check:cam')!)?.id).toBe('check:web');
    expect(suppressorOf(graph, byId.get('check:web')!)).toBeNull();
  });

  it('moves the device a linked check is aimed at behind the parent', () => {
    const graph = buildNocGraph(
      {
        ...fleet({}),
        branches: [hq],
        agents: [agent('a1', 'b1')],
        checks: checks.map((c) => (c.id === 'web' ? { ...c, state: 'failing' as const } : c)),
        topology,
        level: { branch: 'b1' },
        parentLinks: [{ id: 'l1', tenantId: 't', parentCheckId: 'web', childCheckId: 'rt' }],
      },
      defaultI18n,
    );
    const router = graph.nodes.find((n) => n.id === 'device:a1/router');
    expect(router).toMatchObject({ parent: 'check:web', state: 'suppressed', ownState: 'ok' });
  });

  it('returns an empty graph for a branch it does not know', () => {
    expect(buildNocGraph({ ...fleet({}), level: { branch: 'nope' } }, defaultI18n)).toEqual({
      nodes: [],
      edges: [],
      clusters: [],
    });
  });
});

describe('targetHost', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['192.0.2.1:443', '192.0.2.1'],
    ['[2001:db8::1]:5060', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['https://intranet.example/health', 'intranet.example'],
  ])('%s → %s', (target, host) => {
    expect(targetHost(target)).toBe(host);
  });
});

function dev(id: string, address: string | null) {
  return {
    agentId: 'a1',
    deviceId: id,
    sysName: id,
    sysDescr: null,
    address,
    seenAt: '2026-11-21T10:00:00Z',
  };
}

function link(localDevice: string, localPort: string, remote: string, remotePort: string) {
  return {
    agentId: 'a1',
    localDevice,
    localPort,
    remoteChassisId: `chassis-${remote}`,
    remoteSysName: remote,
    remotePort,
    seenAt: '2026-11-21T10:00:00Z',
  };
}
