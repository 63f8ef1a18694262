import { describe, expect, it } from 'vitest';
import { isOpen, type MaintenanceWindow } from './maintenance.js';
import { autoPriority } from './priority.js';
import { resolvePolicy, type RuleSet } from './rules.js';
import { breaches } from './thresholds.js';

const defaults = {
  hysteresis: { failRounds: 3, recoverRounds: 2 },
  flap: { changes: 5, windowSeconds: 1800, quietSeconds: 1800 },
};
const check = { id: 'c1', tenantId: 't1', branchId: 'b1', type: 'icmp' };
const rule = (r: Partial<RuleSet>): RuleSet => ({
  tenantId: 't1',
  scope: 'tenant',
  scopeId: 't1',
  checkType: '*',
  thresholds: [],
  failRounds: null,
  recoverRounds: null,
  flapChanges: null,
  flapWindowSeconds: null,
  flapQuietSeconds: null,
  ...r,
});

describe('thresholds', () => {
  it('names each breach with its unit, and ignores fields not measured', () => {
    const policy = resolvePolicy(check, [], defaults);
    expect(breaches({ loss: 12, median: 151 }, policy.thresholds)).toEqual([
      'loss 12 % > 5 %',
      'median 151 ms > 150 ms',
    ]);
    expect(breaches({ loss: 5, median: null }, policy.thresholds)).toEqual([]);
    expect(
      breaches({ driftSeconds: -7 }, [{ field: 'driftSeconds', op: '>', value: 5, abs: true }]),
    ).toEqual(['|driftSeconds| 7 s > 5 s']);
  });

  it('merges layers field by field, most specific last', () => {
    const rules = [
      rule({ thresholds: [{ field: 'loss', op: '>', value: 2 }], failRounds: 4 }),
      rule({
        scope: 'branch',
        scopeId: 'b1',
        checkType: 'icmp',
        thresholds: [{ field: 'median', op: '>', value: 300 }],
      }),
      rule({
        scope: 'check',
        scopeId: 'c1',
        thresholds: [{ field: 'loss', op: '>', value: 1, enabled: false }],
        recoverRounds: 1,
      }),
      rule({
        scope: 'branch',
        scopeId: 'other',
        thresholds: [{ field: 'jitter', op: '>', value: 1 }],
      }),
      rule({ scope: 'branch', scopeId: 'b1', checkType: 'voice', failRounds: 9 }),
    ];
    const policy = resolvePolicy(check, rules, defaults);
    expect(policy.thresholds).toEqual([{ field: 'median', op: '>', value: 300 }]);
    expect(policy.hysteresis).toEqual({ failRounds: 4, recoverRounds: 1 });
    expect(policy.flap).toEqual(defaults.flap);
  });
});

describe('maintenance windows', () => {
  const weekly: MaintenanceWindow = {
    id: 'w',
    tenantId: 't1',
    scope: 'branch',
    scopeId: 'b1',
    reason: '',
    startsAt: null,
    endsAt: null,
    weekly: { sat: ['02:00-04:00'] },
    zone: null,
  };
  it("reads a weekly window on the branch's clock", () => {
    // Saturday 2026-03-07 02:30 in Tehran (UTC+03:30) is 23:00 UTC on Friday.
    expect(isOpen(weekly, new Date('2026-03-06T23:00:00Z'), 'Asia/Tehran')).toBe(true);
    expect(isOpen(weekly, new Date('2026-03-06T23:00:00Z'), 'UTC')).toBe(false);
    expect(isOpen(weekly, new Date('2026-03-07T02:30:00Z'), 'UTC')).toBe(true);
    expect(isOpen(weekly, new Date('2026-03-07T04:00:00Z'), 'UTC')).toBe(false);
  });
  it('includes the start of a one-off window, not its end', () => {
    const w = { ...weekly, weekly: null, startsAt: new Date(1000), endsAt: new Date(2000) };
    expect([999, 1000, 1999, 2000].map((ms) => isOpen(w, new Date(ms), 'UTC'))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('auto-priority', () => {
  it('adds category, criticality, repeats and impact, and says so', () => {
    expect(
      autoPriority({ category: 'onvif', criticality: 'low', repeats: 0, children: 0 }),
    ).toEqual({
      priority: 'low',
      reason:
        'priority low (score 1): category onvif +1, branch criticality low +0, repeats 0 +0, impact 0 suppressed +0',
      facts: {
        priority: 'low',
        score: 1,
        category: 'onvif',
        criticality: 'low',
        repeats: 0,
        children: 0,
        weights: { category: 1, criticality: 0, repeats: 0, impact: 0 },
      },
    });
    expect(
      autoPriority({ category: 'wan', criticality: 'critical', repeats: 5, children: 20 }).priority,
    ).toBe('urgent');
    expect(
      autoPriority({ category: 'icmp', criticality: 'normal', repeats: 0, children: 0 }).priority,
    ).toBe('normal');
  });
});
