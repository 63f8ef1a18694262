import { describe, expect, it } from 'vitest';
import type { Agent, Branch, Check, CheckState } from '../api/types';
import { countStates, groupOverview } from './groupOverview';
import { aBranch, aCheck, anAgent } from '../api/testing';

function branch(id: string, name: string): Branch {
  return aBranch({ id, name });
}

function agent(id: string, branchId: string, name = id): Agent {
  return anAgent({ id, branchId, name, username: `agent-${id}` });
}

function check(id: string, agentId: string, key: string, state: CheckState = 'ok'): Check {
  return aCheck({ id, agentId, branchId: 'unused', key, state });
}

describe('groupOverview', () => {
  it('nests checks under agents under branches, each sorted by name or key', () => {
    const groups = groupOverview(
      [branch('b2', 'Tabriz'), branch('b1', 'Isfahan')],
      [agent('a2', 'b1', 'gw-2'), agent('a1', 'b1', 'gw-1'), agent('a3', 'b2', 'edge')],
      [
        check('c1', 'a1', 'wan-ping'),
        check('c2', 'a1', 'dns-tcp', 'failing'),
        check('c3', 'a3', 'wan-ping', 'unknown'),
      ],
    );

    expect(
      groups.map((g) => ({
        branch: g.branch?.name,
        agents: g.agents.map((a) => ({ name: a.agent.name, checks: a.checks.map((c) => c.key) })),
      })),
    ).toEqual([
      {
        branch: 'Isfahan',
        agents: [
          { name: 'gw-1', checks: ['dns-tcp', 'wan-ping'] },
          { name: 'gw-2', checks: [] },
        ],
      },
      { branch: 'Tabriz', agents: [{ name: 'edge', checks: ['wan-ping'] }] },
    ]);
  });

  it('counts states per agent and per branch', () => {
    const [isfahan] = groupOverview(
      [branch('b1', 'Isfahan')],
      [agent('a1', 'b1'), agent('a2', 'b1')],
      [
        check('c1', 'a1', 'x', 'ok'),
        check('c2', 'a1', 'y', 'failing'),
        check('c3', 'a2', 'z', 'unknown'),
        check('c4', 'a2', 'w', 'ok'),
      ],
    );
    expect(isfahan?.agents.map((a) => a.counts)).toEqual([
      { ok: 1, failing: 1, unknown: 0 },
      { ok: 1, failing: 0, unknown: 1 },
    ]);
    expect(isfahan?.counts).toEqual({ ok: 2, failing: 1, unknown: 1 });
  });

  it('sorts names the way people count (branch 2 before branch 10)', () => {
    const groups = groupOverview([branch('x', 'Branch 10'), branch('y', 'branch 2')], [], []);
    expect(groups.map((g) => g.branch?.name)).toEqual(['branch 2', 'Branch 10']);
  });

  it('keeps a branch with no agents', () => {
    const groups = groupOverview([branch('b1', 'Isfahan')], [], []);
    expect(groups).toMatchObject([
      { branch: branch('b1', 'Isfahan'), agents: [], counts: { ok: 0, failing: 0, unknown: 0 } },
    ]);
    expect(groups[0]?.status).toMatchObject({ status: 'pending', reason: 'noAgents' });
  });

  it('puts agents of a branch not (yet) listed in a trailing group without a branch', () => {
    const groups = groupOverview(
      [branch('b1', 'Isfahan')],
      [agent('a1', 'b1'), agent('a9', 'b-new')],
      [],
    );
    expect(groups.map((g) => [g.branch?.id ?? null, g.agents.map((a) => a.agent.id)])).toEqual([
      ['b1', ['a1']],
      [null, ['a9']],
    ]);
  });

  it('leaves out checks whose agent is not (yet) listed', () => {
    const groups = groupOverview(
      [branch('b1', 'Isfahan')],
      [agent('a1', 'b1')],
      [check('c1', 'a1', 'x'), check('c2', 'a-new', 'y')],
    );
    expect(groups.flatMap((g) => g.agents.flatMap((a) => a.checks.map((c) => c.id)))).toEqual([
      'c1',
    ]);
    expect(groups[0]?.counts.ok).toBe(1);
  });

  it('returns nothing for nothing', () => {
    expect(groupOverview([], [], [])).toEqual([]);
  });
});

describe('countStates', () => {
  it('counts a state the UI does not know as unknown', () => {
    const counts = countStates([{ state: 'ok' }, { state: 'flapping' as CheckState }]);
    expect(counts).toEqual({ ok: 1, failing: 0, unknown: 1 });
  });
});
