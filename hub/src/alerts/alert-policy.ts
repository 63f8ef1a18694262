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
   * the rules are reloaded; the key holds every subject field the layers depend on.
   */
  private resolved = new Map<string, CheckPolicy>();

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
    const key = `${check.id}\n${check.tenantId}\n${check.branchId}\n${check.type}`;
    let policy = this.resolved.get(key);
    if (!policy) {
      // Bounded: a fleet has tens of thousands of checks; past that, start again.
      if (this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
      policy = resolvePolicy(check, this.rules, this.defaults);
      this.resolved.set(key, policy);
    }
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
