import PgBoss from 'pg-boss';
import { ACTIVE_TICKET_STATES } from '@branchwatch/api';
import type { Database } from '../db/database.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { SlaService } from '../helpdesk/sla/sla.service.js';
import type { AvailabilityService } from '../helpdesk/sla/availability.service.js';
import { availabilityFirings, type AvailabilityFiring } from './availability-trigger.js';
import type { AutomationRepository, RuleRow } from './automation.repository.js';
import type { AutomationActions } from './automation-actions.js';
import { describeAction } from './automation-actions.js';
import {
  eventGroups,
  telemetryFirings,
  ticketFiring,
  timeFirings,
  type Calendars,
  type Firing,
  type Round,
  type TicketHistory,
} from './rule-evaluation.js';

const TICKET_QUEUE = 'automation-ticket';
const SWEEP_QUEUE = 'automation-sweep';
const TICKET_TRIGGERS = new Set(['ticket_created', 'ticket_changed']);
const TIME_TRIGGERS = ['resolved_for', 'no_reply_for', 'telemetry', 'availability'];
/** How far back a sweep reads rounds for telemetry rules. */
const TELEMETRY_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Runs the saved rules (docs/automation.md): a ticket's new events become a pg-boss job, taken
 * by one hub process; a sweep scheduled every minute (also a pg-boss job, so once across hub
 * processes) fires time and telemetry rules. Each firing is claimed as a run row, unique per
 * rule, subject and key, before it acts: a job taken twice, or a hub restarting half-way,
 * never acts twice.
 */
export class AutomationEngine {
  private boss: PgBoss | undefined;
  private readonly pending = new Set<Promise<void>>();
  /** Job handlers under way. */
  private readonly handlers = new Set<Promise<void>>();
  private ticketWorker: string | undefined;

  constructor(
    private readonly repo: AutomationRepository,
    private readonly actions: AutomationActions,
    private readonly sla: SlaService,
    /** The request-scoped db: only to learn when an emitting transaction ends. */
    private readonly scopedDb: Database,
    /** The hub's own pool, for the per-ticket lock. */
    private readonly rootDb: Database,
    private readonly logger: Logger,
    private readonly availability: AvailabilityService,
  ) {}

  listen(events: EventBus): void {
    events.on('ticket.changed', (e) => this.later(() => this.enqueue(e.ticketId)));
  }

  async start(databaseUrl: string): Promise<void> {
    const boss = new PgBoss({ connectionString: databaseUrl, max: 2, schema: 'pgboss' });
    boss.on('error', (err) => this.logger.error({ err }, 'automation job queue error'));
    await boss.start();
    await boss.createQueue(TICKET_QUEUE);
    await boss.createQueue(SWEEP_QUEUE);
    this.boss = boss;
    this.ticketWorker = await boss.work<{ ticketId: string }>(
      TICKET_QUEUE,
      { pollingIntervalSeconds: 2 },
      ([job]) =>
        this.running(async () => {
          if (job) await this.processTicket(job.data.ticketId);
        }),
    );
    await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: 10 }, () =>
      this.running(() => this.sweep(new Date())),
    );
    await boss.schedule(SWEEP_QUEUE, '* * * * *');
  }

  async stop(): Promise<void> {
    await this.idle();
    const boss = this.boss;
    this.boss = undefined;
    await boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
    // pg-boss can report itself stopped while a job it had just fetched is still running; that
    // job holds a pooled connection (its transaction) and may ask for another, which a pool
    // being destroyed never gives: the hub's stop would wait for it for ever.
    while (this.handlers.size) await Promise.allSettled([...this.handlers]);
  }

  /**
   * Runs a job's handler, known until it ends (stop waits for it). Once the stop has begun a job
   * is refused rather than started: it fails and pg-boss retries it after the next start.
   */
  private running<T>(work: () => Promise<T>): Promise<T> {
    if (!this.boss) return Promise.reject(new Error('the hub is stopping'));
    const p = work();
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.handlers.add(settled);
    void settled.finally(() => this.handlers.delete(settled));
    return p;
  }

  /** Waits for the enqueues under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** After the emitter's transaction ended (as notify/dispatcher.ts does). */
  private later(work: () => Promise<void>): void {
    const transaction = (this.scopedDb as { executionPromise?: Promise<unknown> }).executionPromise;
    const p = Promise.resolve(transaction)
      .catch(() => undefined)
      .then(work)
      .catch((err: unknown) => this.logger.error({ err }, 'automation enqueue failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async enqueue(ticketId: string): Promise<void> {
    if (!this.boss) return;
    await this.boss.send(TICKET_QUEUE, { ticketId }, { retryLimit: 3, retryDelay: 5 });
    if (this.ticketWorker) this.boss.notifyWorker(this.ticketWorker);
  }

  /** Evaluates the ticket rules on a ticket's events not evaluated yet, under a per-ticket lock. */
  async processTicket(ticketId: string): Promise<void> {
    await this.rootDb.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`bw:automation:${ticketId}`]);
      const ticket = await this.repo.history(ticketId);
      const last = ticket?.events.at(-1);
      if (!ticket || !last) return;
      const cursor = (await this.repo.cursor(ticketId)) ?? 0;
      const rules = (await this.repo.enabledRules(ticket.tenantId)).filter((r) =>
        TICKET_TRIGGERS.has(r.trigger.type),
      );
      if (rules.length) {
        const calendars = (await this.sla.setupFor(ticket.tenantId)).calendars;
        const fresh = ticket.events.filter((e) => e.id > cursor);
        for (const group of eventGroups(fresh)) {
          for (const rule of rules) {
            // A rule acts on what happens after it was saved.
            if (group[0]!.at < rule.createdAt) continue;
            const f = ticketFiring(rule, ticket, group, calendars);
            if (f) await this.act(rule, ticket, f);
          }
        }
      }
      await this.repo.moveCursor(ticketId, ticket.tenantId, last.id);
    });
  }

  /** Fires due time and telemetry rules as of `now` (every minute; tests move `now`). */
  async sweep(now: Date): Promise<void> {
    for (const tenantId of await this.repo.tenantsWithTriggers(TIME_TRIGGERS)) {
      const rules = (await this.repo.enabledRules(tenantId)).filter((r) =>
        TIME_TRIGGERS.includes(r.trigger.type),
      );
      const calendars = (await this.sla.setupFor(tenantId)).calendars;
      for (const rule of rules) {
        try {
          await this.sweepRule(rule, tenantId, now, calendars);
        } catch (err) {
          this.logger.error({ err, rule: rule.id }, 'automation rule sweep failed');
        }
      }
    }
  }

  private async sweepRule(rule: RuleRow, tenantId: string, now: Date, calendars: Calendars) {
    const t = rule.trigger;
    if (t.type === 'availability') {
      const { firings } = await availabilityFirings(t, tenantId, now, {
        repo: this.repo,
        availability: this.availability,
      });
      for (const f of firings) {
        // Its run may carry the ticket it opened, so the claim alone cannot say "already".
        if (await this.repo.hasRun(rule.id, f.link.checkId, f.key)) continue;
        await this.actOnLink(rule, f, t.below, t.period, now);
      }
      return;
    }
    if (t.type === 'telemetry') {
      const from = new Date(
        Math.max(now.getTime() - TELEMETRY_LOOKBACK_MS, rule.createdAt.getTime()),
      );
      const rounds = await this.repo.rounds(tenantId, t.checkType, t.field, from, now);
      for (const { round, key } of telemetryFirings(rule, rounds, calendars)) {
        if (await this.repo.activeTicketFor(rule.id, round.checkId)) continue;
        await this.actOnRound(rule, round, key);
      }
      return;
    }
    const states = t.type === 'resolved_for' ? ['resolved'] : [...ACTIVE_TICKET_STATES];
    for (const ticket of await this.repo.histories({ tenantId, states })) {
      const firings = timeFirings(rule, ticket, now, calendars);
      // Only the latest moment still holds now (the ticket is still resolved, still unanswered).
      const latest = firings.at(-1);
      if (latest && stillHolds(t.type, ticket, latest)) await this.act(rule, ticket, latest);
    }
  }

  private async act(rule: RuleRow, ticket: TicketHistory, f: Firing): Promise<void> {
    const count = await this.repo.runCount(rule.id, ticket.id);
    const base = {
      tenantId: ticket.tenantId,
      ruleId: rule.id,
      ruleName: rule.name,
      ticketId: ticket.id,
      checkId: null,
      at: new Date(),
      facts: f.facts,
      matched: f.matched,
    };
    if (count >= rule.maxRunsPerTicket) {
      await this.repo.claimRun({
        ...base,
        key: 'guard',
        status: 'guarded',
        actions: [],
        error: guardMessage(count, rule.maxRunsPerTicket),
      });
      return;
    }
    const runId = await this.repo.claimRun({
      ...base,
      key: f.key,
      status: 'ok',
      actions: rule.actions.map((a) => ({ ...describeAction(a), ok: false, error: null })),
      error: null,
    });
    if (runId === undefined) return;
    const { results } = await this.actions.run(
      rule.actions,
      { ticketId: ticket.id, tenantId: ticket.tenantId },
      { ruleId: rule.id, ruleName: rule.name, runId },
    );
    await this.finish(runId, results, ticket.id);
  }

  private async actOnRound(rule: RuleRow, round: Round, key: string) {
    const runId = await this.repo.claimRun({
      tenantId: rule.tenantId,
      ruleId: rule.id,
      ruleName: rule.name,
      ticketId: null,
      checkId: round.checkId,
      key,
      at: new Date(),
      status: 'ok',
      facts: roundFacts(round),
      matched: [],
      actions: rule.actions.map((a) => ({ ...describeAction(a), ok: false, error: null })),
      error: null,
    });
    if (runId === undefined) return;
    const { results, ticketId } = await this.actions.run(
      rule.actions,
      { ticketId: null, tenantId: rule.tenantId, round },
      { ruleId: rule.id, ruleName: rule.name, runId },
    );
    await this.finish(runId, results, ticketId);
  }

  private async actOnLink(
    rule: RuleRow,
    f: AvailabilityFiring,
    below: number,
    period: 'month' | 'week',
    now: Date,
  ) {
    const facts = linkFacts(f, below, period);
    const runId = await this.repo.claimRun({
      tenantId: rule.tenantId,
      ruleId: rule.id,
      ruleName: rule.name,
      ticketId: null,
      checkId: f.link.checkId,
      key: f.key,
      at: new Date(),
      status: 'ok',
      facts,
      matched: [],
      actions: rule.actions.map((a) => ({ ...describeAction(a), ok: false, error: null })),
      error: null,
    });
    if (runId === undefined) return;
    const round: Round = {
      checkId: f.link.checkId,
      checkName: f.link.checkName,
      branchId: f.link.branchId,
      at: now,
      field: 'availability',
      value: Math.round(f.percent * 1000) / 1000,
    };
    const link = {
      about: {
        kind: 'link' as const,
        check: f.link.checkName,
        branch: f.link.branch,
        percent: f.percent,
        below,
        period,
      },
      branchId: f.link.branchId,
      facts,
    };
    const { results, ticketId } = await this.actions.run(
      rule.actions,
      { ticketId: null, tenantId: rule.tenantId, round, link },
      { ruleId: rule.id, ruleName: rule.name, runId },
    );
    await this.finish(runId, results, ticketId);
  }

  private async finish(
    runId: number,
    results: Awaited<ReturnType<AutomationActions['run']>>['results'],
    ticketId: string | null,
  ) {
    const failed = results.find((r) => !r.ok);
    await this.repo.finishRun(runId, {
      status: failed ? 'failed' : 'ok',
      actions: results,
      error: failed ? `${failed.type}: ${failed.error}` : null,
      ticketId,
    });
  }
}

export function guardMessage(count: number, cap: number) {
  return `stopped by the loop guard: the rule already acted ${count} times on this ticket (at most ${cap})`;
}

export function roundFacts(round: Round) {
  return {
    check: round.checkName,
    checkId: round.checkId,
    branch: round.branchId,
    field: round.field,
    value: round.value,
    at: round.at.toISOString(),
  };
}

export function linkFacts(f: AvailabilityFiring, below: number, period: string) {
  return {
    check: f.link.checkName,
    checkId: f.link.checkId,
    branch: f.link.branchId,
    branchName: f.link.branch,
    field: 'availability',
    value: Math.round(f.percent * 1000) / 1000,
    below,
    period,
    from: f.from.toISOString(),
  };
}

function stillHolds(type: string, ticket: TicketHistory, f: Firing): boolean {
  if (type === 'resolved_for')
    return ticket.state === 'resolved' && f.key === lastResolution(ticket);
  // no_reply_for: no public reply by a person since the message the firing is about.
  const askId = Number(f.key.split(':')[1]);
  return !ticket.events.some(
    (e) => e.id > askId && e.kind === 'reply' && e.visibility === 'public' && e.authorId !== null,
  );
}

function lastResolution(ticket: TicketHistory): string | undefined {
  const e = ticket.events.findLast(
    (e) =>
      (e.kind === 'change' && e.field === 'state' && e.newValue === 'resolved') ||
      e.kind === 'resolved',
  );
  return e && `resolved:${e.id}`;
}
