import type { SlaClock } from '@branchwatch/sla';
import type { EventBus } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import type { StoredEscalation } from './sla-mapping.js';
import { type Ticket, type TicketEvent } from '../ticket.model.js';
import type { SlaRepository } from './sla.repository.js';
import type { NewTicketEvent, TicketRepository } from '../ticket.repository.js';
import type { SlaService, SlaSetup } from './sla.service.js';
import type { SupportGroupService } from '../support-group.service.js';
import { TICKET_PRIORITIES } from '@branchwatch/api';
import { JobHealth } from '../../core/job-health.js';

const BATCH = 500;
const CLOCK_NAMES = { firstResponse: 'first response', resolution: 'resolution' } as const;

export interface SweepResult {
  tickets: number;
  warnings: number;
  escalations: number;
}

/**
 * The SLA sweep: recomputes every active ticket's clocks and records each warning and
 * escalation as a ticket event exactly once (a unique key per ticket), then carries out the
 * escalation's action. An advisory lock makes one hub process run it at a time.
 */
export class SlaSweepService {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sla: SlaService,
    private readonly slaRepo: SlaRepository,
    private readonly tickets: TicketRepository,
    private readonly groups: SupportGroupService,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly jobs = new JobHealth(),
  ) {}

  start(intervalSeconds: number): void {
    this.jobs.declare('sla-sweep');
    this.#timer = setInterval(() => {
      this.#running = this.#running
        .then(() =>
          this.jobs.run('sla-sweep', () => this.sweep(), { skipped: (r) => r === undefined }),
        )
        .catch((err: unknown) => this.logger.error({ err }, 'SLA sweep failed'));
    }, intervalSeconds * 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over the active tickets as of `now`; undefined when another hub holds the job. */
  sweep(now = new Date()): Promise<SweepResult | undefined> {
    return this.slaRepo.exclusively('bw:sla-sweep', async () => {
      const result: SweepResult = { tickets: 0, warnings: 0, escalations: 0 };
      const setups = new Map<string, SlaSetup>();
      let after = 0;
      for (;;) {
        const batch = await this.tickets.activeTickets(after, BATCH);
        // The batch's events in one statement: one per ticket was 12,000 statements a sweep
        // at 12,000 active tickets (docs/benchmarks.md, "The SLA sweep's statements").
        const events = await this.tickets.eventsOf(batch.map((t) => t.id));
        for (const ticket of batch) {
          let setup = setups.get(ticket.tenantId);
          if (!setup)
            setups.set(ticket.tenantId, (setup = await this.sla.setupFor(ticket.tenantId)));
          await this.sweepTicket(setup, ticket, events.get(ticket.id) ?? [], now, result);
          result.tickets++;
        }
        if (batch.length < BATCH) break;
        after = batch.at(-1)!.number;
      }
      return result;
    });
  }

  private async sweepTicket(
    setup: SlaSetup,
    ticket: Ticket,
    events: readonly TicketEvent[],
    now: Date,
    result: SweepResult,
  ) {
    const clocks = this.sla.clocks(setup, ticket, events, now);
    for (const clock of [clocks.firstResponse, clocks.resolution]) {
      if (!clock) continue;
      const name = CLOCK_NAMES[clock.kind];
      if (clock.warned) {
        const recorded = await this.tickets.recordOnce(ticket.id, {
          kind: 'sla_warning',
          at: clock.warningAt!,
          visibility: 'internal',
          body: `SLA warning: ${name} deadline ${clock.deadline?.toISOString() ?? 'paused'}.`,
          data: { clock: clock.kind, policyId: clock.policyId },
          slaKey: `${clock.kind}:warning:${clock.policyId}`,
        });
        if (recorded) result.warnings++;
      }
      for (const level of clock.escalations.filter((l) => l.fired)) {
        const stored = setup.policies
          .find((p) => p.id === clock.policyId)
          ?.escalations.find((e) => e.name === level.name);
        if (!stored) continue;
        const recorded = await this.tickets.recordOnce(ticket.id, {
          kind: 'sla_escalation',
          at: level.at!,
          visibility: 'internal',
          body: `SLA escalation "${level.name}" (${stored.action}) on the ${name} clock.`,
          data: {
            clock: clock.kind,
            policyId: clock.policyId,
            level: level.name,
            action: stored.action,
          },
          slaKey: `${clock.kind}:escalation:${level.name}:${clock.policyId}`,
        });
        if (!recorded) continue;
        result.escalations++;
        await this.act(ticket, stored, clock, now);
      }
    }
  }

  /** Carries out an escalation: notify is the event itself; reassign; raise priority. */
  private async act(ticket: Ticket, level: StoredEscalation, clock: SlaClock, now: Date) {
    const events: NewTicketEvent[] = [];
    const patch: Parameters<TicketRepository['change']>[1] = {};
    if (level.action === 'reassign' && ticket.groupId) {
      const to = await this.groups.escalationAssignee(
        ticket.groupId,
        ticket.assigneeId,
        ticket.tenantId,
      );
      if (to && to !== ticket.assigneeId) {
        patch.assigneeId = to;
        events.push(change('assignee', ticket.assigneeId, to, now, level.name));
        ticket.assigneeId = to;
      }
    } else if (level.action === 'raise_priority') {
      const next = TICKET_PRIORITIES[TICKET_PRIORITIES.indexOf(ticket.priority) + 1];
      if (next) {
        patch.priority = next;
        events.push(change('priority', ticket.priority, next, now, level.name));
        ticket.priority = next;
      }
    }
    if (events.length) await this.tickets.change(ticket.id, patch, events, now);
    this.logger.info(
      { ticket: ticket.number, level: level.name, action: level.action, clock: clock.kind },
      'SLA escalation',
    );
    await this.events.emit('ticket.changed', {
      ticketId: ticket.id,
      tenantId: ticket.tenantId,
      branchId: ticket.branchId,
      at: now,
    });
  }
}

const change = (
  field: string,
  oldValue: string | null,
  newValue: string,
  at: Date,
  level: string,
): NewTicketEvent => ({
  kind: 'change',
  field,
  oldValue,
  newValue,
  at,
  visibility: 'internal',
  body: `by SLA escalation "${level}"`,
  data: { escalation: level },
});
