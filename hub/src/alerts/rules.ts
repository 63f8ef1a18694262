import type { HysteresisRule } from './hysteresis.js';
import { DEFAULT_THRESHOLDS, mergeThresholds, type Threshold } from './thresholds.js';

export type RuleScope = 'tenant' | 'branch' | 'check';

/** One stored rule set: thresholds and optional settings for a scope and check type. */
export interface RuleSet {
  tenantId: string;
  scope: RuleScope;
  scopeId: string;
  /** A check type, or '*' for every type (ignored for a check's own rule set). */
  checkType: string;
  thresholds: Threshold[];
  failRounds: number | null;
  recoverRounds: number | null;
  flapChanges: number | null;
  flapWindowSeconds: number | null;
  flapQuietSeconds: number | null;
}

export interface FlapRule {
  /** More state changes than this inside the window make the check flapping. */
  changes: number;
  windowSeconds: number;
  /** Seconds without a state change before a flapping check is calm again. */
  quietSeconds: number;
}

/** What applies to one check after every layer is merged. */
export interface CheckPolicy {
  thresholds: Threshold[];
  hysteresis: HysteresisRule;
  flap: FlapRule;
}

export interface PolicyDefaults {
  hysteresis: HysteresisRule;
  flap: FlapRule;
}

export interface PolicySubject {
  id: string;
  tenantId: string;
  branchId: string;
  type: string;
}

/**
 * Merges the layers for a check, most specific last: the code's defaults for its type, then
 * tenant, branch and check rule sets (within a scope, '*' before the check's own type). A
 * threshold replaces the one on the same field from a wider layer; a setting left null keeps
 * the wider one.
 */
export function resolvePolicy(
  check: PolicySubject,
  rules: readonly RuleSet[],
  defaults: PolicyDefaults,
): CheckPolicy {
  const layers = layersFor(check, rules);
  const pick = <K extends keyof RuleSet>(key: K, fallback: number): number => {
    let value = fallback;
    for (const layer of layers) {
      const v = layer[key];
      if (typeof v === 'number') value = v;
    }
    return value;
  };
  return {
    thresholds: mergeThresholds([
      DEFAULT_THRESHOLDS[check.type] ?? [],
      ...layers.map((l) => l.thresholds),
    ]),
    hysteresis: {
      failRounds: pick('failRounds', defaults.hysteresis.failRounds),
      recoverRounds: pick('recoverRounds', defaults.hysteresis.recoverRounds),
    },
    flap: {
      changes: pick('flapChanges', defaults.flap.changes),
      windowSeconds: pick('flapWindowSeconds', defaults.flap.windowSeconds),
      quietSeconds: pick('flapQuietSeconds', defaults.flap.quietSeconds),
    },
  };
}

function layersFor(check: PolicySubject, rules: readonly RuleSet[]): RuleSet[] {
  const rank = (r: RuleSet): number => {
    const typeRank = r.checkType === '*' ? 0 : 1;
    if (r.scope === 'tenant' && r.scopeId === check.tenantId) return 0 + typeRank;
    if (r.scope === 'branch' && r.scopeId === check.branchId) return 2 + typeRank;
    if (r.scope === 'check' && r.scopeId === check.id) return 4;
    return -1;
  };
  return rules
    .filter((r) => r.checkType === '*' || r.checkType === check.type || r.scope === 'check')
    .map((r) => ({ r, rank: rank(r) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.r);
}
