import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '@branchwatch/contract';
import { createLogger } from '../core/logger.js';
import { AlertPolicy } from './alert-policy.js';
import type { RuleSet } from './rules.js';

const defaults = {
  hysteresis: { failRounds: 3, recoverRounds: 2 },
  flap: { changes: 5, windowSeconds: 1800, quietSeconds: 1800 },
};
const check = { id: 'c1', tenantId: 't1', branchId: 'b1', type: 'icmp' };
const branchRule = (failRounds: number): RuleSet => ({
  tenantId: 't1',
  scope: 'branch',
  scopeId: 'b1',
  checkType: 'icmp',
  thresholds: [{ field: 'loss', op: '>', value: 50 }],
  failRounds,
  recoverRounds: null,
  flapChanges: null,
  flapWindowSeconds: null,
  flapQuietSeconds: null,
});

describe('AlertPolicy', () => {
  it('keeps a resolved policy until the rules are reloaded, per check and its scopes', async () => {
    let rules: RuleSet[] = [branchRule(4)];
    const policy = new AlertPolicy(
      { listRules: async () => rules },
      defaults,
      createLogger('warn'),
    );
    await policy.reload();
    expect(policy.hysteresisFor(check)).toEqual({ failRounds: 4, recoverRounds: 2 });
    expect(policy.judge(check, round(20))).toEqual({ ok: true, reason: null });
    expect(policy.judge(check, round(60))).toEqual({ ok: false, reason: 'loss 60 % > 50 %' });
    // The same check moved to another branch is resolved again: the branch rule is not its.
    expect(policy.hysteresisFor({ ...check, branchId: 'b2' }).failRounds).toBe(3);
    expect(policy.judge({ ...check, branchId: 'b2' }, round(20))).toEqual({
      ok: false,
      reason: 'loss 20 % > 5 %',
    });
    // And back: its own branch's rule again.
    expect(policy.hysteresisFor(check).failRounds).toBe(4);

    rules = [branchRule(6)];
    expect(policy.hysteresisFor(check).failRounds).toBe(4);
    await policy.reload();
    expect(policy.hysteresisFor(check).failRounds).toBe(6);
    rules = [];
    await policy.reload();
    expect(policy.policyFor(check).hysteresis.failRounds).toBe(3);
    expect(policy.judge(check, round(20)).ok).toBe(false);
  });
});

function round(loss: number): ProbeResult {
  return {
    check: 'ping',
    type: 'icmp',
    target: '10.0.0.1',
    at: new Date(0).toISOString(),
    status: 'ok',
    fields: { sent: 10, received: 10, loss, min: 1, median: 2, p95: 3, max: 4, jitter: 0.5 },
  };
}
