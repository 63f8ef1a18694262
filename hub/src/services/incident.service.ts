import type { CheckStateChange, EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { HubMetrics } from '../metrics.js';
import type { Check } from '../models/check.model.js';
import type { BranchRepository } from '../repositories/branch.repository.js';
import type { CheckRepository } from '../repositories/check.repository.js';
import type { TicketRepository } from '../repositories/ticket.repository.js';
import { formatDuration } from './duration.js';

/**
 * Turns check state changes into tickets: a failing check opens one ticket per fingerprint;
 * recovery adds a note with the downtime and resolves the ticket unless a person has worked
 * on it (DESIGN.md "Alerts become tickets").
 */
export class IncidentService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly checks: CheckRepository,
    private readonly branches: BranchRepository,
    private readonly metrics: HubMetrics,
    private readonly logger: Logger,
  ) {}

  listen(events: EventBus): void {
    events.on('check.stateChanged', (change) => this.onStateChanged(change));
  }

  async onStateChanged(change: CheckStateChange): Promise<void> {
    const check = await this.checks.findById(change.checkId);
    if (!check) return;
    if (change.to === 'failing') await this.raise(check, change.since ?? change.at, change.reason);
    else if (change.from === 'failing') await this.recover(check, change.since, change.at);
  }

  /**
   * Brings tickets in line with check states after a restart: the hub may have stopped between
   * committing a state change and acting on it.
   */
  async reconcile(): Promise<void> {
    for (const check of await this.checks.listInState('failing')) {
      await this.raise(check, check.stateSince ?? new Date(), check.lastReason);
    }
    for (const check of await this.checks.listInState('ok')) {
      const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
      // A ticket someone works on already got its recovery note, and keeps waiting for them.
      if (!ticket || (await this.tickets.hasHumanActivity(ticket.id))) continue;
      await this.recover(check, ticket.openedAt, check.stateSince ?? new Date());
    }
  }

  private async raise(check: Check, since: Date, reason: string | null): Promise<void> {
    const branch = await this.branches.findById(check.branchId);
    const ticket = await this.tickets.openForAlert({
      tenantId: check.tenantId,
      branchId: check.branchId,
      agentId: check.agentId,
      checkId: check.id,
      fingerprint: fingerprintOf(check),
      subject: `${check.key} failing at ${branch?.name ?? 'unknown branch'}: ${check.type} ${check.target}`,
      openedAt: new Date(),
      body: `Failing since ${since.toISOString()}: ${reason ?? 'no reason given'}.`,
    });
    if (!ticket) return;
    this.metrics.tickets.inc({ action: 'opened' });
    this.logger.info({ ticket: ticket.number, check: check.key }, 'ticket opened from alert');
  }

  private async recover(check: Check, since: Date | null, at: Date): Promise<void> {
    const ticket = await this.tickets.findActiveByFingerprint(fingerprintOf(check));
    if (!ticket) return;
    const downtime = since ? formatDuration(at.getTime() - since.getTime()) : 'unknown';
    await this.tickets.addEvent(
      ticket.id,
      'recovered',
      `Recovered at ${at.toISOString()} after ${downtime} of downtime` +
        (since ? ` (failing since ${since.toISOString()}).` : '.'),
      new Date(),
    );
    if (await this.tickets.hasHumanActivity(ticket.id)) return;
    await this.tickets.resolve(
      ticket.id,
      new Date(),
      'Resolved automatically: the check recovered and nobody had worked on the ticket.',
    );
    this.metrics.tickets.inc({ action: 'auto_resolved' });
    this.logger.info({ ticket: ticket.number, check: check.key }, 'ticket resolved on recovery');
  }
}

/** tenant:branch:agent:check — stable for the life of the check (DESIGN.md). */
export function fingerprintOf(check: Pick<Check, 'tenantId' | 'branchId' | 'agentId' | 'id'>) {
  return `${check.tenantId}:${check.branchId}:${check.agentId}:${check.id}`;
}
