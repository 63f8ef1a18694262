import type { ResultsBatch } from '@branchwatch/contract';
import type { RoundPolicy } from '../alerts/alert-policy.js';
import type { CheckStateChange, EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { HubMetrics } from '../core/metrics.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import { claimKey, isUniqueViolation, type IngestRepository } from './ingest.repository.js';
import { Admission, type AdmissionLimits } from './ingest-admission.js';
import { Slots } from './ingest-events.js';
import { IngestGroups, type GroupLimits, type GroupMember } from './ingest-groups.js';
import { checkSpecs, planGroup, type IncomingBatch } from './ingest-plan.js';

export type IngestOutcome = 'accepted' | 'duplicate';

const isFirstVerdict = (c: CheckStateChange) => c.from === 'unknown' && c.to === 'ok';

/** Where rounds are stored, as far as ingest needs to know. */
export interface RoundStorage {
  /** Makes sure rounds at these times can be stored (e.g. their partitions exist). */
  prepareFor(times: Date[]): Promise<void>;
  /** Rounds older than this are past retention and are not stored. */
  horizon(): Date;
}

/**
 * How big a group may grow. Light load makes small groups by itself (a group forms on the next
 * turn of the event loop); the bounds keep a backlog from turning into one huge transaction.
 * 20,000 results is about 0.2 s of COPY alone at the rates measured (docs/benchmarks.md,
 * "Hub ingest"). Two groups at once let one commit while the next is planned.
 */
export const DEFAULT_GROUP_LIMITS: GroupLimits = {
  maxBatches: 2000,
  maxWeight: 20_000,
  concurrency: 2,
};

/** Agents whose state changes are emitted at the same time; the others wait their turn. */
const EMITTING_AGENTS = 4;
/**
 * Agents with a check turning failing or recovering get slots of their own: outages and
 * recoveries are what people wait for (the alert → ticket figure, docs/benchmarks.md), and a
 * fleet's flood of first unknown → ok changes must not hold them back.
 */
const ALERTING_AGENTS = 16;

/** What a batch may hold (hub config "limits"). */
export interface BatchBounds {
  /** Rounds further ahead of the hub's clock than this are not believed. */
  maxFutureSeconds: number;
  /** Distinct checks one batch may name; each new one becomes a row of `checks`. */
  maxChecksPerAgent: number;
  /** How much ingest holds at once before the next batches wait (ingest-admission.ts). */
  queue: AdmissionLimits;
}

export const DEFAULT_BATCH_BOUNDS: BatchBounds = {
  maxFutureSeconds: 86400,
  maxChecksPerAgent: 2000,
  queue: { maxBatches: 6000, maxBytes: 32 * 1024 * 1024 },
};

/** Why a batch is refused before it reaches the database: a counted reason and the field. */
export interface BatchRefusal {
  reason: 'time_out_of_range' | 'too_many_checks';
  field: string;
  detail: string;
}

/** A batch's fate in its group's transaction, and the state changes it made. */
interface Stored {
  outcome: IngestOutcome;
  changes: CheckStateChange[];
}

type Member = GroupMember<IncomingBatch, IngestOutcome>;

/**
 * Stores result batches. A batch is committed before this resolves, and the broker sends the
 * PUBACK only then (docs/architecture.md "Delivery"). The (agent, seq) ledger makes a redelivered batch
 * count once. State changes are emitted after the commit; ingest knows nothing of tickets.
 *
 * Batches of many agents that wait at the same time are committed in one transaction (group
 * commit, ingest/ingest-groups.ts); each agent's batches keep their order. When a group's
 * transaction fails, its batches are tried again one per transaction, so that one bad batch
 * fails alone and the others are stored and acknowledged.
 */
export class IngestService {
  private readonly groups: IngestGroups<IncomingBatch, IngestOutcome>;
  /** The queue's bound: batches from arrival to PUBACK (see `admit`). */
  private readonly admission: Admission;
  /** Agents whose state changes are being emitted at once (ingest-events.ts says why). */
  private readonly emitting = new Slots(EMITTING_AGENTS);
  private readonly alerting = new Slots(ALERTING_AGENTS);
  /**
   * Each agent's state changes still being emitted after their batches were acknowledged
   * (first verdicts, see `settle`): the agent's later changes are emitted after them.
   */
  private readonly pendingEmits = new Map<string, Promise<void>>();
  /** First verdicts are written in sets; two sets at a time leave the pool to the rest. */
  private readonly firstVerdictSlots = new Slots(2);
  /** Set when the hub stops: first verdicts not emitted yet are dropped (see `settled`). */
  private stopping = false;

  constructor(
    private readonly repository: IngestRepository,
    private readonly events: EventBus,
    private readonly metrics: HubMetrics,
    /** Judges rounds (probe status and thresholds) and gives each check's hysteresis. */
    private readonly policy: RoundPolicy,
    private readonly storage: RoundStorage,
    private readonly logger: Logger,
    limits: GroupLimits = DEFAULT_GROUP_LIMITS,
    private readonly bounds: BatchBounds = DEFAULT_BATCH_BOUNDS,
  ) {
    this.groups = new IngestGroups(limits, (members) => this.commitGroup(members));
    this.admission = new Admission(bounds.queue, () => metrics.ingestQueueFull.inc());
    metrics.watchIngestQueue(() => this.admission);
  }

  /**
   * Runs a results batch's handling (decode, store, up to its PUBACK) once ingest's queue has
   * room for it. While the queue is full the batch waits here undecoded, and the broker reads
   * nothing more from its connection meanwhile: backpressure on the agents rather than memory
   * in the hub (ingest-admission.ts).
   */
  admit<T>(payloadBytes: number, task: () => Promise<T>): Promise<T> {
    const arrived = performance.now();
    const stage = this.metrics.ingestStage;
    return this.admission.run(payloadBytes, async () => {
      stage.observe({ stage: 'admission' }, (performance.now() - arrived) / 1000);
      try {
        return await task();
      } finally {
        stage.observe({ stage: 'total' }, (performance.now() - arrived) / 1000);
      }
    });
  }

  /**
   * Why this batch must not be stored, or undefined. A round dated far ahead would make
   * partitions (or chunks) for days no retention reaches, and 9999-12-31 no valid partition
   * at all; a batch naming thousands of checks would make as many rows. Either is refused
   * whole, counted and acknowledged by the caller: resending it could never succeed.
   * Rounds older than the retention are not refused: `storeBatch` drops them, counted.
   */
  refusal(batch: ResultsBatch, now = Date.now()): BatchRefusal | undefined {
    const latest = now + this.bounds.maxFutureSeconds * 1000;
    const checks = new Set<string>();
    for (let i = 0; i < batch.results.length; i++) {
      const result = batch.results[i]!;
      const at = Date.parse(result.at);
      if (!(at <= latest)) {
        return {
          reason: 'time_out_of_range',
          field: `results[${i}].at`,
          detail: `${result.at} is more than ${this.bounds.maxFutureSeconds} s ahead of the hub's clock`,
        };
      }
      checks.add(result.check);
    }
    if (checks.size > this.bounds.maxChecksPerAgent) {
      return {
        reason: 'too_many_checks',
        field: 'results',
        detail: `the batch names ${checks.size} checks; an agent may have at most ${this.bounds.maxChecksPerAgent}`,
      };
    }
    return undefined;
  }

  storeBatch(agent: AgentRow, batch: ResultsBatch): Promise<IngestOutcome> {
    const horizon = this.storage.horizon().getTime();
    const kept = batch.results.filter((r) => Date.parse(r.at) >= horizon);
    if (kept.length < batch.results.length) {
      this.metrics.expired.inc(batch.results.length - kept.length);
    }
    const submittedAt = performance.now();
    return this.groups.submit(agent.id, { agent, batch, kept, submittedAt }, kept.length + 1);
  }

  private async commitGroup(members: Member[]): Promise<void> {
    let stored: Stored[];
    const stage = this.metrics.ingestStage;
    const begun = performance.now();
    for (const m of members) {
      const submitted = m.batch.submittedAt;
      if (submitted !== undefined) stage.observe({ stage: 'group' }, (begun - submitted) / 1000);
    }
    try {
      stored = await this.storeTogether(members.map((m) => m.batch));
      const took = (performance.now() - begun) / 1000;
      for (let i = 0; i < members.length; i++) stage.observe({ stage: 'commit' }, took);
    } catch (err) {
      if (members.length === 1) {
        // Rounds stored before under another seq: again, skipping them (ingest.repository.ts).
        if (!isUniqueViolation(err)) throw err;
        stored = await this.storeTogether([members[0]!.batch], true);
        void this.settle(members, stored);
        return;
      }
      // Rounds stored before under another seq fail a group's COPY by design (ingest.repository.ts).
      if (isUniqueViolation(err)) {
        this.logger.info(
          { batches: members.length },
          'a group held rounds stored before; storing its batches one by one',
        );
      } else {
        this.logger.warn(
          { err, batches: members.length },
          'a group of batches failed; storing them one by one',
        );
      }
      // In order; an agent's batches are settled (their events emitted) one after the other,
      // without holding up the other agents' batches.
      const settled = new Map<string, Promise<unknown>>();
      for (const member of members) {
        const before = settled.get(member.key) ?? Promise.resolve();
        try {
          const alone = await this.storeTogether([member.batch], true);
          settled.set(
            member.key,
            before.then(() => this.settle([member], alone)),
          );
        } catch (single) {
          settled.set(
            member.key,
            before.then(() => member.failed(single)),
          );
        }
      }
      return;
    }
    void this.settle(members, stored);
  }

  /**
   * Counts the outcomes, emits each batch's state changes and then settles it. Batches of one
   * agent go one after the other; agents do not wait for each other. The group's caller does
   * not wait for this: the next group may commit meanwhile (its agents are others).
   *
   * Batches whose only changes are first verdicts (unknown → ok: a new check's first good
   * round) are acknowledged at once, and the group's first verdicts are emitted afterwards as
   * one set (`check.firstVerdicts`): nothing waits on them (no ticket, no notice), and a fleet
   * of new agents would otherwise wait for tens of thousands of them, each answered by its
   * own queries, before its first PUBACKs (docs/benchmarks.md, "Hub fleet"). An agent's later
   * changes are still emitted after them, and a change to or from failing is emitted before
   * its batch is acknowledged.
   */
  private settle(members: Member[], stored: Stored[]): Promise<unknown> {
    const byAgent = new Map<string, { member: Member; stored: Stored }[]>();
    members.forEach((member, i) => {
      const list = byAgent.get(member.key) ?? [];
      list.push({ member, stored: stored[i]! });
      byAgent.set(member.key, list);
    });
    const chains: Promise<void>[] = [];
    // The group's first verdicts, emitted as one set after what their agents emit already.
    const firstVerdicts: CheckStateChange[] = [];
    const firstVerdictAgents: string[] = [];
    const before: Promise<void>[] = [];
    for (const [key, list] of byAgent) {
      const count = () => {
        for (const { member, stored: s } of list) {
          this.metrics.batches.inc({ outcome: s.outcome });
          if (s.outcome === 'duplicate') {
            const { agent, batch } = member.batch;
            this.logger.debug({ agent: agent.username, seq: batch.seq }, 'duplicate batch ignored');
          }
        }
      };
      const changes = list.flatMap((m) => m.stored.changes);
      const pending = this.pendingEmits.get(key);
      // Most batches change no state: they are settled at once, without waiting for a slot.
      if (changes.length === 0 || changes.every(isFirstVerdict)) {
        count();
        for (const { member, stored: s } of list) member.done(s.outcome);
        if (changes.length > 0) {
          firstVerdicts.push(...changes);
          firstVerdictAgents.push(key);
          if (pending) before.push(pending);
        }
        continue;
      }
      const alerts = changes.some((c) => c.to === 'failing' || c.from === 'failing');
      const slots = alerts ? this.alerting : this.emitting;
      const chain = (pending ?? Promise.resolve()).then(() =>
        slots.run(async () => {
          count();
          for (const { member, stored: s } of list) {
            for (const change of s.changes) await this.events.emit('check.stateChanged', change);
            member.done(s.outcome);
          }
        }),
      );
      chains.push(this.pending(key, chain));
    }
    if (firstVerdicts.length > 0) {
      const emitted = Promise.all(before).then(() =>
        this.firstVerdictSlots.run(async () => {
          if (this.stopping) this.metrics.firstVerdictsDropped.inc(firstVerdicts.length);
          else await this.events.emit('check.firstVerdicts', { changes: firstVerdicts });
        }),
      );
      for (const key of firstVerdictAgents) chains.push(this.pending(key, emitted));
    }
    return Promise.all(chains);
  }

  /** Makes `chain` the agent's last emit, which its later changes wait for. */
  private pending(key: string, chain: Promise<void>): Promise<void> {
    // A chain settles its members or fails them (the group's caller does), never throws on.
    const tail = chain.catch((err: unknown) => {
      this.logger.error({ err }, 'emitting state changes failed');
    });
    this.pendingEmits.set(key, tail);
    void tail.then(() => {
      if (this.pendingEmits.get(key) === tail) this.pendingEmits.delete(key);
    });
    return tail;
  }

  /**
   * A hub's stop: resolves once the state changes of acknowledged batches are emitted, except
   * first verdicts whose turn has not come yet, which are dropped and counted. After a fleet's
   * reconnect tens of thousands can wait, and all they would write is each one's row in
   * `check_state_changes` and a live event.
   */
  async settled(): Promise<void> {
    this.stopping = true;
    while (this.pendingEmits.size > 0) await Promise.all(this.pendingEmits.values());
  }

  /**
   * Stores the batches in one transaction, in order; returns each batch's outcome.
   * `skipStored`: rounds stored before (under another seq) are skipped rather than failing
   * the transaction, with the slower insert (ingest.repository.ts).
   */
  private async storeTogether(batches: IncomingBatch[], skipStored = false): Promise<Stored[]> {
    await this.storage.prepareFor(daysOf(batches));
    const { stored, results } = await this.repository.transaction(async (tx) => {
      const claimed = await tx.claimBatches(
        batches.map(({ agent, batch }) => ({
          agentId: agent.id,
          seq: batch.seq,
          sentAt: new Date(batch.sentAt),
          replayed: batch.replayed,
          resultCount: batch.results.length,
        })),
        new Date(),
      );
      // The same (agent, seq) twice in one group is claimed by its first copy only.
      const accepted = batches.filter(({ agent, batch }) =>
        claimed.delete(claimKey(agent.id, batch.seq)),
      );
      const checks = await tx.lockChecks(checkSpecs(accepted));
      const writes = planGroup(accepted, checks, this.policy);
      const count = await tx.insertResults(writes.results, skipStored);
      await tx.recordProgress(writes.progress, writes.results);
      const changesOf = new Map(accepted.map((b, i) => [b, writes.changes[i]!]));
      return {
        results: count,
        stored: batches.map((b): Stored => {
          const changes = changesOf.get(b);
          return changes ? { outcome: 'accepted', changes } : { outcome: 'duplicate', changes: [] };
        }),
      };
    });
    this.metrics.results.inc(results);
    return stored;
  }
}

const DAY_MS = 86_400_000;

/**
 * The UTC days the batches' rounds fall in, one Date each: what `prepareFor` needs, without a
 * Date per round (a group holds up to 20,000 rounds, nearly all of one day).
 */
function daysOf(batches: IncomingBatch[]): Date[] {
  const days = new Set<number>();
  for (const { kept } of batches) {
    for (const r of kept) days.add(Math.floor(Date.parse(r.at) / DAY_MS) * DAY_MS);
  }
  return [...days].map((d) => new Date(d));
}
