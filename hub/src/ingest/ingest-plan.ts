import type { ProbeResult, ResultsBatch } from '@branchwatch/contract';
import type { RoundPolicy } from '../alerts/alert-policy.js';
import { applyRounds, type HysteresisRule } from '../alerts/hysteresis.js';
import type { CheckStateChange } from '../core/events.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import type {
  CheckProgress,
  CheckSpecRow,
  LockedCheck,
  StoredResult,
} from './ingest.repository.js';

/** A batch on its way into the database: its results past the retention horizon are gone. */
export interface IncomingBatch {
  agent: AgentRow;
  batch: ResultsBatch;
  /** The batch's results that are within retention. */
  kept: ProbeResult[];
  /** When it was handed to its group (performance.now()), for bw_ingest_batch_seconds. */
  submittedAt?: number;
}

/** What the group's transaction writes after the claim, and the state changes it makes. */
export interface GroupWrites {
  results: StoredResult[];
  /** Final standing of every check the group moved, one row per check. */
  progress: CheckProgress[];
  /** State changes per accepted batch, in the order of `accepted`. */
  changes: CheckStateChange[][];
}

/** One (agent, key, type, target) per check named by the batches; the last result's wins. */
export function checkSpecs(batches: IncomingBatch[]): CheckSpecRow[] {
  const specs = new Map<string, CheckSpecRow>();
  for (const { agent, kept } of batches) {
    for (const r of kept) {
      specs.set(`${agent.id}\n${r.check}`, {
        agentId: agent.id,
        tenantId: agent.tenantId,
        branchId: agent.branchId,
        key: r.check,
        type: r.type,
        target: r.target,
      });
    }
  }
  return [...specs.values()];
}

/**
 * Works out the rows of the accepted batches and moves each check forward batch by batch, in
 * arrival order, exactly as if each batch had its own transaction: a later batch of the same
 * agent sees the check as the earlier one left it. `checks` are the locked rows; they are
 * updated in place.
 */
export function planGroup(
  accepted: IncomingBatch[],
  checks: LockedCheck[],
  policy: RoundPolicy,
): GroupWrites {
  const byAgent = new Map<string, Map<string, LockedCheck>>();
  for (const c of checks) {
    const own = byAgent.get(c.agentId) ?? new Map<string, LockedCheck>();
    own.set(c.key, c);
    byAgent.set(c.agentId, own);
  }
  const results: StoredResult[] = [];
  const progress = new Map<string, CheckProgress>();
  const changes: CheckStateChange[][] = [];
  // A check's rule is looked up once per group; resolving it is not free (alerts/rules.ts).
  const rules = new Map<string, HysteresisRule>();
  for (const { agent, batch, kept } of accepted) {
    // No checks when every result of the batch was past retention.
    const own = byAgent.get(agent.id) ?? new Map<string, LockedCheck>();
    const byCheck = new Map<string, ProbeResult[]>();
    for (const result of kept) {
      const check = own.get(result.check)!;
      results.push({ checkId: check.id, result, replayed: batch.replayed, batchSeq: batch.seq });
      const list = byCheck.get(result.check);
      if (list) list.push(result);
      else byCheck.set(result.check, [result]);
    }
    const batchChanges: CheckStateChange[] = [];
    // In the order the checks were locked (by key), as each batch did on its own.
    for (const check of own.values()) {
      const rounds = byCheck.get(check.key);
      if (!rounds) continue;
      let rule = rules.get(check.id);
      if (!rule) rules.set(check.id, (rule = policy.hysteresisFor(check)));
      // Rounds of a removed check (in flight when it was removed) are history, like replays.
      const past = batch.replayed || check.removedAt !== null;
      const step = advance(agent, check, rounds, past, policy, rule);
      if (!step.progress) continue;
      Object.assign(check, step.progress);
      progress.set(check.id, step.progress);
      batchChanges.push(...step.changes);
    }
    changes.push(batchChanges);
  }
  return { results, progress: [...progress.values()], changes };
}

/**
 * Moves a check's last result and state forward with the results newer than what it has.
 * Replayed results feed charts but not alert state: they describe the past, and an outage
 * that already ended must not open a ticket now (docs/architecture.md "Alerts become tickets").
 *
 * Written with loops and module-level functions: it runs once per check and batch, and under
 * tsx every closure made in a hot path costs a name assignment (docs/benchmarks.md).
 */
export function advance(
  agent: AgentRow,
  check: LockedCheck,
  results: ProbeResult[],
  replayed: boolean,
  policy: RoundPolicy,
  rule: HysteresisRule,
): { progress?: CheckProgress; changes: CheckStateChange[] } {
  const since = check.lastResultAt ? check.lastResultAt.getTime() : -Infinity;
  const newer: ProbeResult[] = [];
  for (const r of results) if (Date.parse(r.at) > since) newer.push(r);
  if (newer.length === 0) return { changes: [] };
  if (newer.length > 1) newer.sort(byTime);
  const latest = newer[newer.length - 1]!;
  const last = {
    id: check.id,
    lastResultAt: new Date(latest.at),
    lastStatus: latest.status,
    lastReason: latest.reason ?? null,
    lastFields: latest.fields,
  };
  const { state, stateSince, failStreak, okStreak, streakSince } = check;
  if (replayed) {
    return {
      progress: { ...last, state, stateSince, failStreak, okStreak, streakSince },
      changes: [],
    };
  }
  // A round is bad when the probe failed or a threshold is breached (docs/alerts.md).
  const judged: { at: Date; ok: boolean; reason: string | null }[] = [];
  let lastFailure: string | null = null;
  for (const r of newer) {
    const verdict = policy.judge(check, r);
    judged.push({ at: new Date(r.at), ok: verdict.ok, reason: verdict.reason });
    if (!verdict.ok) lastFailure = verdict.reason;
  }
  const { counters, transitions } = applyRounds(check, judged, rule);
  const changes: CheckStateChange[] = [];
  for (const t of transitions) {
    changes.push({
      checkId: check.id,
      tenantId: agent.tenantId,
      branchId: agent.branchId,
      agentId: agent.id,
      from: t.from,
      to: t.to,
      at: t.at,
      since: t.to === 'failing' ? t.streakStart : t.since,
      reason: t.to === 'failing' ? lastFailure : null,
    });
  }
  return { progress: { ...last, ...counters }, changes };
}

function byTime(a: ProbeResult, b: ProbeResult): number {
  return Date.parse(a.at) - Date.parse(b.at);
}
