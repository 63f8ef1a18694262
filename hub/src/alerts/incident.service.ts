import type { AlertConfigRepository } from './alert-config.repository.js';
import type { AlertPolicy } from './alert-policy.js';
import type { AlertAgent, AlertCheck, IncidentRepository } from './incident.repository.js';
import { agentFingerprintOf, fingerprintOf } from './fingerprint.js';
import { openWindow, type AlertPlace } from './maintenance.js';
import { autoPriority, type Criticality } from './priority.js';
import type { PriorityFacts, TicketText } from '@branchwatch/api';
import * as text from './ticket-text.js';
import type { CheckStateChange, EventBus, EventMap } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { HubMetrics } from '../core/metrics.js';
import type { TicketEventKind } from '../helpdesk/ticket.model.js';
import type { AlertTicketRepository } from './alert-ticket.repository.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import { sweepAlerts, type IncidentSettings } from './alert-sweep.js';

export type { IncidentSettings } from './alert-sweep.js';

/** A root-cause ticket that children attach to, and what its priority is computed from. */
/** An alert ticket as far as telling others of its changes goes. */
type TicketRef = { id: string; tenantId: string };

interface Parent {
  ticketId: string | undefined;
  /** The tenant of the incident (a parent and its children are always one tenant's). */
  tenantId: string;
  category: string;
  criticality: Criticality;
}

/**
 * Turns alerts into tickets (docs/alerts.md): one ticket per fingerprint, reopened by a repeat
 * inside the reopen window; no new ticket while a check flaps, inside a maintenance window,
 * or while a parent (the agent, the branch WAN check, a linked check) is down — then the alert
 * attaches to the parent's ticket instead. Recoveries are never suppressed: they add a note
 * with the downtime and the worst measurements, and resolve the ticket unless a person acted.
 */
export class IncidentService {
  // Root cause is decided inside a branch: one branch's alerts are handled in order.
  private readonly queue = new KeyedQueue();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private events: EventBus | undefined;

  constructor(
    private readonly tickets: AlertTicketRepository,
    private readonly incidents: IncidentRepository,
    private readonly windows: Pick<AlertConfigRepository, 'listWindows'>,
    private readonly policy: Pick<AlertPolicy, 'policyFor'>,
    private readonly settings: IncidentSettings,
    private readonly metrics: HubMetrics,
    private readonly logger: Logger,
  ) {}

  listen(events: EventBus): void {
    this.events = events;
    events.on('check.stateChanged', (change) =>
      this.queue.run(change.branchId, () => this.onStateChanged(change)),
    );
    // Recorded and nothing else (see onStateChanged); ingest emits an agent's later changes
    // only after these, so they need no place in the branches' queues.
    events.on('check.firstVerdicts', ({ changes }) =>
      this.incidents.recordFirstVerdicts(changes.map((c) => ({ checkId: c.checkId, at: c.at }))),
    );
    events.on('agent.statusChanged', (status) => this.onAgentStatus(status));
  }

  /** Sweeps every `seconds` (see `reconcile`); one sweep at a time. */
  start(seconds: number): void {
    this.metrics.jobs.declare('alert-sweep');
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.metrics.jobs
        .run('alert-sweep', () => this.reconcile())
        .catch((err: unknown) => this.logger.error({ err }, 'alert sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, seconds * 1000);
    this.timer.unref();
  }

  /** Stops sweeping; resolves when a sweep that was running has finished. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Runs `work` in the branch's queue, after that branch's earlier alerts. */
  inBranch<T>(branchId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(branchId, work);
  }

  /**
   * Brings tickets in line with alert state: at start (the hub may have stopped between a
   * state change and acting on it) and then every sweep (maintenance ended, flapping calmed,
   * an agent's grace passed, an alert expired).
   */
  reconcile(now = new Date()): Promise<void> {
    const { incidents, tickets, policy, settings } = this;
    return sweepAlerts({ service: this, incidents, tickets, policy, settings }, now);
  }

  async onStateChanged(change: CheckStateChange): Promise<void> {
    // A first verdict (a new check's first good round, or one after its alert expired) has no
    // ticket to recover and no earlier verdict to flap from: it is recorded and nothing else.
    // A fleet of new agents sends tens of thousands at once (docs/benchmarks.md, "Hub fleet").
    if (change.from === 'unknown' && change.to === 'ok') {
      await this.incidents.recordFirstVerdicts([{ checkId: change.checkId, at: change.at }]);
      return;
    }
    const check = await this.incidents.findCheck(change.checkId);
    if (!check) return;
    await this.incidents.recordStateChange(check.id, change.at, change.to);
    if (await this.flaps(check, change.at)) return;
    if (change.to === 'failing') await this.raise(check, change.since ?? change.at, change.reason);
    else if (change.from === 'failing') await this.recover(check, change.since, change.at);
  }

  async onAgentStatus(status: EventMap['agent.statusChanged']): Promise<void> {
    const agent = await this.incidents.findAgent(status.agentId);
    if (!agent) return;
    await this.queue.run(agent.branchId, async () => {
      if (!status.online) {
        await this.incidents.openOutage(agent.id, status.at);
        if (this.settings.agentOfflineGraceSeconds === 0) await this.raiseAgent(agent, status.at);
        return;
      }
      const offlineAt = await this.incidents.closeOutage(agent.id, status.at);
      if (offlineAt) await this.agentBack(agent, offlineAt, status.at);
    });
  }

  /**
   * Marks a check flapping when it changed state more than the rule allows inside the window,
   * and says so on its open ticket. True while the check flaps: then nothing else is done.
   */
  private async flaps(check: AlertCheck, at: Date): Promise<boolean> {
    if (check.flappingSince) return true;
    const rule = this.policy.policyFor(check).flap;
    const changes = await this.incidents.countChanges(
      check.id,
      new Date(at.getTime() - rule.windowSeconds * 1000),
    );
    if (changes <= rule.changes) return false;
    await this.incidents.setFlapping(check.id, at);
    this.metrics.alertsSuppressed.inc({ cause: 'flapping' });
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    if (ticket) {
      const text: TicketText = {
        kind: 'flapping',
        changes,
        windowMs: rule.windowSeconds * 1000,
        quietMs: rule.quietSeconds * 1000,
      };
      await this.note(ticket, 'note', text, checkPlace(check), new Date());
    }
    this.logger.info({ check: check.key, changes }, 'check is flapping');
    return true;
  }

  /** Opens (or reopens) the check's ticket unless maintenance or a down parent says not to. */
  async raise(
    check: AlertCheck,
    since: Date,
    reason: string | null,
    now = new Date(),
  ): Promise<void> {
    const fingerprint = fingerprintOf(check);
    if (await this.tickets.findActiveByFingerprint(fingerprint)) return;
    if (await this.inMaintenance(checkPlace(check), now, check.key)) return;
    const parent = await this.downParent(check);
    if (parent) {
      await this.attach(parent, check, since, reason);
      return;
    }
    // Ingest commits outside this queue: read the state again after the parents, so that a
    // batch recovering both parent and child between the two reads opens nothing.
    if ((await this.incidents.findCheck(check.id))?.state !== 'failing') return;
    const category = check.role === 'wan' ? 'wan' : check.type;
    const ticketId = await this.openOrReopen({
      fingerprint,
      place: checkPlace(check),
      alertKind: 'check',
      text: (extra) => text.checkFailing(check, since, reason, now, extra),
      category,
      criticality: check.criticality,
    });
    if (!ticketId) return;
    const self: Parent = {
      ticketId,
      tenantId: check.tenantId,
      category,
      criticality: check.criticality,
    };
    for (const child of await this.incidents.childrenOf(check)) await this.adopt(self, child);
  }

  /** The recovery note, then resolution unless a person acted; children get their own turn. */
  async recover(check: AlertCheck, since: Date | null, at: Date): Promise<void> {
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    if (ticket) {
      const from = since ?? ticket.openedAt;
      const { thresholds } = this.policy.policyFor(check);
      const rounds = await this.incidents.roundsBetween(check.id, from, at);
      const worst = text.worstMeasurements(text.outageRounds(rounds, thresholds), thresholds);
      const chart = text.chartOf(check, new Date(from.getTime() - 3600_000), at);
      const recovery = text.recovered(since, at, worst, chart);
      await this.note(ticket, 'recovered', recovery, checkPlace(check), new Date());
      await this.resolveUnlessWorked(ticket, 'check_recovered', checkPlace(check));
    }
    await this.release(await this.incidents.childrenOf(check));
  }

  /** Opens the "agent offline" ticket for an agent still offline. */
  async raiseAgent(agent: AlertAgent, since: Date): Promise<void> {
    const fresh = await this.incidents.findAgent(agent.id);
    if (!fresh || fresh.online) return;
    const fingerprint = agentFingerprintOf(agent);
    if (await this.tickets.findActiveByFingerprint(fingerprint)) return;
    // A person closed it during this very outage: leave it closed.
    if (await this.tickets.closedByPersonSince(fingerprint, since)) return;
    const place = agentPlace(agent);
    if (await this.inMaintenance(place, new Date(), agent.name)) return;
    const ticketId = await this.openOrReopen({
      fingerprint,
      place,
      alertKind: 'agent',
      text: (extra) => text.agentOffline(agent, since, extra),
      category: 'agent',
      criticality: agent.criticality,
    });
    if (!ticketId) return;
    const self: Parent = {
      ticketId,
      tenantId: agent.tenantId,
      category: 'agent',
      criticality: agent.criticality,
    };
    for (const child of await this.incidents.checksOfAgent(agent.id)) await this.adopt(self, child);
  }

  /** One "branch unreachable from T1 to T2" record, then the agent's checks stand alone. */
  private async agentBack(agent: AlertAgent, offlineAt: Date, onlineAt: Date): Promise<void> {
    const record: TicketText = {
      kind: 'branch_reachable',
      agent: agent.name,
      from: offlineAt.toISOString(),
      to: onlineAt.toISOString(),
    };
    this.logger.info({ agent: agent.name, offlineAt, onlineAt }, 'branch reachable again');
    const ticket = await this.tickets.findActiveByFingerprint(agentFingerprintOf(agent));
    if (ticket) {
      await this.note(ticket, 'recovered', record, agentPlace(agent), new Date());
      await this.resolveUnlessWorked(ticket, 'agent_back', agentPlace(agent));
    }
    await this.release(await this.incidents.checksOfAgent(agent.id));
  }

  /** Gives up on an alert whose recovery cannot be seen any more (no results). */
  async expire(check: AlertCheck, now: Date): Promise<void> {
    await this.incidents.expire(check.id, now);
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    this.logger.info({ check: check.key }, 'alert expired');
    if (!ticket) return;
    const expired: TicketText = {
      kind: 'expired',
      check: check.key,
      lastResult: check.lastResultAt?.toISOString() ?? null,
      allowedMs: this.settings.expireSeconds * 1000,
    };
    await this.note(ticket, 'note', expired, checkPlace(check), now);
    await this.resolveUnlessWorked(ticket, 'expired', checkPlace(check));
  }

  /**
   * A check missed two rounds in a row: its open ticket is told, and stays as it is — the
   * check may still fail or may have recovered, and nobody can see which (docs/alerts.md
   * "Stale checks"). Live pages hear it through `check.staleChanged`.
   */
  async stale(check: AlertCheck, since: Date, now: Date): Promise<void> {
    this.logger.info({ check: check.key }, 'check stale: no data');
    await this.staleChanged(check, true, since);
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    if (ticket) {
      await this.note(ticket, 'note', text.stale(check, since, now), checkPlace(check), now);
    }
  }

  /** Results of a stale check came back; its ticket follows its state again. */
  async dataBack(check: AlertCheck, since: Date): Promise<void> {
    const now = new Date();
    await this.staleChanged(check, false, now);
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    if (ticket) {
      await this.note(ticket, 'note', text.dataBack(check, since, now), checkPlace(check), now);
    }
  }

  private async staleChanged(check: AlertCheck, stale: boolean, at: Date): Promise<void> {
    await this.events?.emit('check.staleChanged', {
      checkId: check.id,
      tenantId: check.tenantId,
      branchId: check.branchId,
      agentId: check.agentId,
      stale,
      at,
    });
  }

  /** Ends flapping; the check's ticket follows its state as it is now. */
  async calm(check: AlertCheck, now: Date): Promise<void> {
    await this.incidents.setFlapping(check.id, null);
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    if (ticket) {
      const calm: TicketText = { kind: 'calm', at: now.toISOString() };
      await this.note(ticket, 'note', calm, checkPlace(check), now);
    }
    if (check.state === 'ok' && ticket) await this.recover(check, ticket.openedAt, now);
    if (check.state === 'failing' && !ticket) {
      await this.raise(
        { ...check, flappingSince: null },
        check.stateSince ?? now,
        check.lastReason,
      );
    }
  }

  /**
   * The parent down for this check, if any: its agent offline (an open outage), its branch's
   * WAN check or a linked parent failing. The parent's ticket may not exist yet (grace period,
   * maintenance): the check is still held back, and adopted when that ticket opens.
   */
  private async downParent(check: AlertCheck): Promise<Parent | undefined> {
    const outages = await this.incidents.openOutages();
    if (outages.some((o) => o.agentId === check.agentId)) {
      const ticket = await this.tickets.findActiveByFingerprint(agentFingerprintOf(check));
      return {
        ticketId: ticket?.id,
        tenantId: check.tenantId,
        category: 'agent',
        criticality: check.criticality,
      };
    }
    for (const parent of await this.incidents.parentsOf(check)) {
      if (parent.state !== 'failing') continue;
      const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(parent));
      const category = parent.role === 'wan' ? 'wan' : parent.type;
      return {
        ticketId: ticket?.id,
        tenantId: check.tenantId,
        category,
        criticality: parent.criticality,
      };
    }
    return undefined;
  }

  /** Records a child's alert on its parent's ticket instead of opening one of its own. */
  private async attach(parent: Parent, check: AlertCheck, since: Date, reason: string | null) {
    this.metrics.alertsSuppressed.inc({ cause: 'parent' });
    if (!parent.ticketId) return;
    if (!(await this.incidents.attachChild(parent.ticketId, check.id, new Date()))) return;
    const also: TicketText = {
      kind: 'also_failing',
      check: text.checkRef(check),
      since: since.toISOString(),
      reason,
    };
    await this.note(
      { id: parent.ticketId, tenantId: parent.tenantId },
      'note',
      also,
      checkPlace(check),
      new Date(),
    );
    await this.prioritise(parent, checkPlace(check));
  }

  /** Attaches a child that is failing without a ticket of its own to a new parent ticket. */
  private async adopt(parent: Parent, child: AlertCheck): Promise<void> {
    if (child.state !== 'failing') return;
    if (await this.tickets.findActiveByFingerprint(fingerprintOf(child))) return;
    await this.attach(parent, child, child.stateSince ?? new Date(), child.lastReason);
  }

  /** Children still failing once their parent is back get their own tickets. */
  private async release(children: AlertCheck[]): Promise<void> {
    for (const child of children) {
      if (child.state !== 'failing' || child.flappingSince) continue;
      await this.raise(child, child.stateSince ?? new Date(), child.lastReason);
    }
  }

  private async inMaintenance(place: AlertPlace, at: Date, what: string): Promise<boolean> {
    const window = openWindow(await this.windows.listWindows(place.tenantId), place, at);
    if (!window) return false;
    this.metrics.alertsSuppressed.inc({ cause: 'maintenance' });
    this.logger.info({ what, window: window.id }, 'no ticket: inside a maintenance window');
    return true;
  }

  /**
   * Reopens the fingerprint's ticket resolved inside the reopen window, or opens a new one.
   * `text` gives the alert's facts, as a repeat (`reopened`) or with the new ticket's priority.
   */
  private async openOrReopen(o: {
    fingerprint: string;
    place: AlertPlace;
    alertKind: 'check' | 'agent';
    text: (extra: { priority?: PriorityFacts; reopened?: boolean }) => TicketText;
    category: string;
    criticality: Criticality;
  }): Promise<string | undefined> {
    const now = new Date();
    const voice = await this.voiceOf(o.place);
    const recent = await this.tickets.findResolvedSince(
      o.fingerprint,
      new Date(now.getTime() - this.settings.reopenSeconds * 1000),
    );
    const again = text.write(o.text({ reopened: true }), voice);
    if (recent && (await this.tickets.reopenAlert(recent.id, now, again))) {
      this.metrics.tickets.inc({ action: 'reopened' });
      this.logger.info({ ticket: recent.number }, 'ticket reopened by a repeat');
      await this.changed(recent);
      const parent = { ...o, ticketId: recent.id, tenantId: recent.tenantId };
      await this.prioritise(parent, o.place);
      return recent.id;
    }
    const { priority, reason, facts } = autoPriority({
      category: o.category,
      criticality: o.criticality,
      repeats: 0,
      children: 0,
    });
    const opening = o.text({ priority: facts });
    const subject = text.subjectOf(opening, voice);
    const ticket = await this.tickets.openAlertTicket({
      tenantId: o.place.tenantId,
      branchId: o.place.branchId,
      agentId: o.place.agentId,
      checkId: o.place.checkId,
      fingerprint: o.fingerprint,
      alertKind: o.alertKind,
      subject,
      text: text.write(opening, voice),
      priority,
      priorityReason: reason,
      at: now,
    });
    if (!ticket) return undefined;
    this.metrics.tickets.inc({ action: 'opened' });
    this.logger.info({ ticket: ticket.number, subject }, 'ticket opened from alert');
    await this.changed(ticket);
    return ticket.id;
  }

  /** Recomputes the hub's priority, unless a person has set one (it sticks). */
  private async prioritise(parent: Parent, place: Pick<AlertPlace, 'branchZone'>): Promise<void> {
    if (!parent.ticketId) return;
    const facts = await this.tickets.alertFacts(parent.ticketId);
    if (!facts || facts.overridden) return;
    const auto = autoPriority({
      category: parent.category,
      criticality: parent.criticality,
      repeats: facts.repeatCount,
      children: await this.incidents.countChildren(parent.ticketId),
    });
    if (auto.priority === facts.priority && auto.reason === facts.priorityReason) return;
    const voice = await this.voiceOf({ tenantId: parent.tenantId, branchZone: place.branchZone });
    const said = text.write({ kind: 'auto_priority', priority: auto.facts }, voice);
    await this.tickets.setAutoPriority(
      parent.ticketId,
      auto.priority,
      auto.reason,
      said,
      new Date(),
    );
    await this.changed({ id: parent.ticketId, tenantId: parent.tenantId });
  }

  private async resolveUnlessWorked(
    ticket: TicketRef,
    why: 'check_recovered' | 'agent_back' | 'expired',
    place: Pick<AlertPlace, 'branchZone'>,
  ): Promise<void> {
    // A person who worked on the ticket decides when it is done (docs/architecture.md "Alerts become tickets").
    if (await this.tickets.hasHumanActivity(ticket.id)) return;
    const voice = await this.voiceOf({ tenantId: ticket.tenantId, branchZone: place.branchZone });
    await this.tickets.resolve(
      ticket.id,
      new Date(),
      text.write({ kind: 'auto_resolved', why }, voice),
    );
    this.metrics.tickets.inc({ action: 'auto_resolved' });
    await this.changed(ticket);
  }

  /** A note on an alert ticket, told to live pages and notifications like a person's change. */
  private async note(
    ticket: TicketRef,
    kind: TicketEventKind,
    said: TicketText,
    place: Pick<AlertPlace, 'branchZone'>,
    at: Date,
  ) {
    const voice = await this.voiceOf({ tenantId: ticket.tenantId, branchZone: place.branchZone });
    await this.tickets.addEvent(ticket.id, kind, text.write(said, voice), at);
    await this.changed(ticket);
  }

  /** How ticket text is written for a place: the tenant's language, the branch's zone. */
  private async voiceOf(place: Pick<AlertPlace, 'tenantId' | 'branchZone'>): Promise<text.Voice> {
    return {
      language: await this.tickets.tenantLanguage(place.tenantId),
      timeZone: place.branchZone,
      ...(this.settings.webUrl ? { webUrl: this.settings.webUrl } : {}),
    };
  }

  /** `ticket.changed` for an alert ticket, as the helpdesk emits it for people's changes. */
  private async changed(ticket: TicketRef): Promise<void> {
    await this.events?.emit('ticket.changed', {
      ticketId: ticket.id,
      tenantId: ticket.tenantId,
      at: new Date(),
    });
  }
}

function checkPlace(c: AlertCheck): AlertPlace {
  const { tenantId, branchId, agentId, branchZone } = c;
  return { tenantId, branchId, agentId, checkId: c.id, branchZone };
}

function agentPlace(a: AlertAgent): AlertPlace {
  const { tenantId, branchId, branchZone } = a;
  return { tenantId, branchId, agentId: a.id, checkId: null, branchZone };
}
