import type { ProbeResult, ResultsBatch } from '@branchwatch/contract';
import type { RoundPolicy } from '../alerts/alert-policy.js';
import { applyRounds } from '../alerts/hysteresis.js';
import type { CheckStateChange, EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { HubMetrics } from '../metrics.js';
import type { Check } from '../models/check.model.js';
import type { AgentRow } from '../repositories/agent.repository.js';
import type { CheckProgress, IngestRepository } from '../repositories/ingest.repository.js';
import { KeyedQueue } from './keyed-queue.js';

export type IngestOutcome = 'accepted' | 'duplicate';

/** Where rounds are stored, as far as ingest needs to know. */
export interface RoundStorage {
  /** Makes sure rounds at these times can be stored (e.g. their partitions exist). */
  prepareFor(times: Date[]): Promise<void>;
  /** Rounds older than this are past retention and are not stored. */
  horizon(): Date;
}

/**
 * Stores result batches. A batch is committed before this resolves, and the broker sends the
 * PUBACK only then (DESIGN.md "Delivery"). The (agent, seq) ledger makes a redelivered batch
 * count once. State changes are emitted after the commit; ingest knows nothing of tickets.
 */
export class IngestService {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly repository: IngestRepository,
    private readonly events: EventBus,
    private readonly metrics: HubMetrics,
    /** Judges rounds (probe status and thresholds) and gives each check's hysteresis. */
    private readonly policy: RoundPolicy,
    private readonly storage: RoundStorage,
    private readonly logger: Logger,
  ) {}

  storeBatch(agent: AgentRow, batch: ResultsBatch): Promise<IngestOutcome> {
    return this.queue.run(agent.id, async () => {
      const changes: CheckStateChange[] = [];
      const horizon = this.storage.horizon();
      const kept = batch.results.filter((r) => new Date(r.at) >= horizon);
      if (kept.length < batch.results.length) {
        this.metrics.expired.inc(batch.results.length - kept.length);
      }
      await this.storage.prepareFor(kept.map((r) => new Date(r.at)));
      const outcome = await this.repository.transaction(async (tx) => {
        const claimed = await tx.claimBatch({
          agentId: agent.id,
          seq: batch.seq,
          sentAt: new Date(batch.sentAt),
          replayed: batch.replayed,
          resultCount: batch.results.length,
        });
        await tx.touchAgent(agent.id, new Date());
        if (!claimed) return 'duplicate' as const;
        const checks = await tx.lockChecks(agent, specsOf(kept));
        const rows = kept.map((result) => ({
          checkId: checks.get(result.check)!.id,
          result,
          replayed: batch.replayed,
          batchSeq: batch.seq,
        }));
        const stored = await tx.insertResults(rows);
        await tx.markDirty(rows.map((r) => ({ checkId: r.checkId, at: r.result.at })));
        this.metrics.results.inc(stored);
        const byCheck = new Map<string, ProbeResult[]>();
        for (const r of kept) {
          const list = byCheck.get(r.check);
          if (list) list.push(r);
          else byCheck.set(r.check, [r]);
        }
        const progress: CheckProgress[] = [];
        for (const check of checks.values()) {
          const step = this.advance(agent, check, byCheck.get(check.key) ?? [], batch.replayed);
          if (step.progress) progress.push(step.progress);
          changes.push(...step.changes);
        }
        await tx.updateChecks(progress);
        return 'accepted' as const;
      });
      this.metrics.batches.inc({ outcome });
      if (outcome === 'duplicate') {
        this.logger.debug({ agent: agent.username, seq: batch.seq }, 'duplicate batch ignored');
      }
      for (const change of changes) await this.events.emit('check.stateChanged', change);
      return outcome;
    });
  }

  /**
   * Moves a check's last result and state forward with the results newer than what it has.
   * Replayed results feed charts but not alert state: they describe the past, and an outage
   * that already ended must not open a ticket now (DESIGN.md "Alerts become tickets").
   */
  private advance(
    agent: AgentRow,
    check: Check,
    results: ProbeResult[],
    replayed: boolean,
  ): { progress?: CheckProgress; changes: CheckStateChange[] } {
    const newer = results
      .filter((r) => !check.lastResultAt || new Date(r.at) > check.lastResultAt)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const latest = newer.at(-1);
    if (!latest) return { changes: [] };
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
    const judged = newer.map((r) => ({ at: new Date(r.at), ...this.policy.judge(check, r) }));
    const rule = this.policy.hysteresisFor(check);
    const { counters, transitions } = applyRounds(check, judged, rule);
    const lastFailure = judged.findLast((r) => !r.ok);
    const changes = transitions.map((t) => ({
      checkId: check.id,
      tenantId: agent.tenantId,
      branchId: agent.branchId,
      agentId: agent.id,
      from: t.from,
      to: t.to,
      at: t.at,
      since: t.to === 'failing' ? t.streakStart : t.since,
      reason: t.to === 'failing' ? (lastFailure?.reason ?? null) : null,
    }));
    return { progress: { ...last, ...counters }, changes };
  }
}

/** One (key, type, target) per check named in the batch; the last result's wins. */
function specsOf(results: ProbeResult[]) {
  const specs = new Map<string, { key: string; type: string; target: string }>();
  for (const r of results) specs.set(r.check, { key: r.check, type: r.type, target: r.target });
  return [...specs.values()];
}
