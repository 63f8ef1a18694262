import { describe, expect, it } from 'vitest';
import type { Check } from '../api/types';
import { aCheck } from '../api/testing';
import {
  ancestorsOf,
  canManageLinks,
  childCandidates,
  linksOf,
  suppressedBy,
  type ParentLink,
} from './parentLinks';

function check(id: string, key: string, state: Check['state'] = 'ok'): Check {
  return aCheck({ id, key, state });
}

const link = (id: string, parentCheckId: string, childCheckId: string): ParentLink => ({
  id,
  tenantId: 't',
  parentCheckId,
  childCheckId,
});

// wan → router → cam-1, cam-2; wan → sip.
const checks = [
  check('wan', 'wan-ping'),
  check('rt', 'router-ping'),
  check('c1', 'cam-1'),
  check('c2', 'cam-2'),
  check('sip', 'sip'),
];
const links = [
  link('l1', 'rt', 'c1'),
  link('l2', 'rt', 'c2'),
  link('l3', 'wan', 'rt'),
  link('l4', 'wan', 'sip'),
];

describe('ancestorsOf', () => {
  it('walks up through links, nearest first, each once', () => {
    expect(ancestorsOf('c1', links)).toEqual(['rt', 'wan']);
    expect(ancestorsOf('wan', links)).toEqual([]);
  });

  it('stops at a loop', () => {
    expect(ancestorsOf('a', [link('1', 'b', 'a'), link('2', 'a', 'b')])).toEqual(['b']);
  });
});

describe('childCandidates', () => {
  it('offers every other check but the parent, its children and its ancestors', () => {
    expect(childCandidates('rt', checks, links).map((c) => c.id)).toEqual(['sip']);
    expect(childCandidates('c1', checks, links).map((c) => c.id)).toEqual(['c2', 'sip']);
  });
});

describe('linksOf', () => {
  it("lists the branch's links by parent then child, naming a foreign check by id", () => {
    const rows = linksOf(checks.slice(0, 3), [...links, link('l9', 'other-branch', 'c1')]);
    expect(rows.map((r) => [r.link.id, r.parent?.key ?? null, r.child?.key ?? null])).toEqual([
      ['l9', null, 'cam-1'],
      // A foreign child sorts by its id: `c2` before `cam-1`.
      ['l2', 'router-ping', null],
      ['l1', 'router-ping', 'cam-1'],
      ['l3', 'wan-ping', 'router-ping'],
      ['l4', 'wan-ping', null],
    ]);
  });
});

describe('suppressedBy', () => {
  it('names the nearest failing ancestor of every check behind one', () => {
    const down = checks.map((c) =>
      c.id === 'rt' || c.id === 'wan' ? { ...c, state: 'failing' as const } : c,
    );
    expect(Object.fromEntries(suppressedBy(down, links))).toEqual({
      rt: 'wan',
      c1: 'rt',
      c2: 'rt',
      sip: 'wan',
    });
    expect(suppressedBy(checks, links).size).toBe(0);
  });
});

describe('canManageLinks', () => {
  it('is for the roles the hub lets manage alerts', () => {
    expect(
      ['admin', 'tenant_admin', 'support_agent', 'viewer', undefined].map(canManageLinks),
    ).toEqual([true, true, false, false, false]);
  });
});
