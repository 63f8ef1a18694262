import type { ProbeResult } from '@branchwatch/contract';
import type { Logger } from '../core/logger.js';
import type { HysteresisRule } from './hysteresis.js';
import {
  resolvePolicy,
  type CheckPolicy,
  type PolicyDefaults,
  type PolicySubject,
  type RuleSet,
} from './rules.js';
import { breaches } from './thresholds.js';

/** Most policies held resolved at once (about 100 bytes each beside the key). */
const MAX_RESOLVED = 200_000;

/** A check's resolved policy and the subject fields it was resolved for. */
interface Resolved {
  tenantId: string;
  branchId: string;
  type: string;
  policy: CheckPolicy;
}

/** How ingest judges a round and how many rounds change a check's state. */
export interface RoundPolicy {
  /** A round is bad when the probe failed or a threshold is breached; `reason` says why. */
  judge(check: PolicySubject, result: ProbeResult): { ok: boolean; reason: string | null };
  hysteresisFor(check: PolicySubject): HysteresisRule;
}

export interface RuleSource {
  listRules(): Promise<RuleSet[]>;
}

/**
 * The rule sets, held in memory so that ingest judges rounds without a query. Reloaded after
 * every change through the API and every `refreshSeconds` (another hub process may have
 * changed them).
 */
export class AlertPolicy implements RoundPolicy {
  private rules: RuleSet[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  /**
   * Resolved policies of the current rules, per check. Ingest judges every round, and resolving
   * the layers each time showed in its profile (docs/benchmarks.md, "Hub ingest"). Emptied when
   * the rules are reloaded; each is kept with every subject field the layers depend on.
   */
  private resolved = new Map<string, Resolved>();

  constructor(
    private readonly source: RuleSource,
    readonly defaults: PolicyDefaults,
    private readonly logger: Logger,
  ) {}

  async start(refreshSeconds: number): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reloading ??= this.reload()
        .catch((err: unknown) => this.logger.error({ err }, 'alert rules reload failed'))
        .finally(() => (this.reloading = undefined));
    }, refreshSeconds * 1000);
    this.timer.unref();
  }

  /** Stops reloading; resolves when a reload that was running has finished. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reloading;
  }

  async reload(): Promise<void> {
    this.rules = await this.source.listRules();
    this.resolved = new Map();
  }

  /** The merged policy of a check. The object is shared: callers only read it. */
  policyFor(check: PolicySubject): CheckPolicy {
    // Keyed by the check alone, the other subject fields compared: a key string made of all of
    // them cost an allocation per round judged.
    const held = this.resolved.get(check.id);
    if (
      held &&
      held.tenantId === check.tenantId &&
      held.branchId === check.branchId &&
      held.type === check.type
    ) {
      return held.policy;
    }
    // Bounded: a fleet has tens of thousands of checks; past that, start again.
    if (!held && this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
    const policy = resolvePolicy(check, this.rules, this.defaults);
    const { tenantId, branchId, type } = check;
    this.resolved.set(check.id, { tenantId, branchId, type, policy });
    return policy;
  }

  judge(check: PolicySubject, result: ProbeResult) {
    const found = breaches(result.fields, this.policyFor(check).thresholds);
    if (result.status === 'failed') {
      const reason = [result.reason ?? 'failed', ...found].join('; ');
      return { ok: false, reason };
    }
    return found.length ? { ok: false, reason: found.join('; ') } : { ok: true, reason: null };
  }

  hysteresisFor(check: PolicySubject): HysteresisRule {
    return this.policyFor(check).hysteresis;
  }
}
