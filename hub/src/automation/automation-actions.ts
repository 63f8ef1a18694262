import { renderCannedReply } from '../helpdesk/canned-reply.js';
import type { AutomationActor, TicketService } from '../helpdesk/ticket.service.js';
import type { TicketRepository } from '../helpdesk/ticket.repository.js';
import type { TicketRelationsRepository } from '../helpdesk/ticket-relations.repository.js';
import type { SessionUser } from '../http/request-state.js';
import type { Action } from './automation.schemas.js';
import type { ActionResult } from './automation.repository.js';
import type { Round } from './rule-evaluation.js';
import type { RuleMessenger, RuleTarget } from './rule-notify.js';
import type { RuleSubject } from './rule-messages.js';

/** What a ticketless firing (a link's availability) is about, for notify and webhook actions. */
export interface LinkFiring {
  about: Extract<RuleSubject, { kind: 'link' }>;
  branchId: string;
  facts: Record<string, unknown>;
}

/** Who a rule acts as: nobody in particular, inside its tenant. */
export function ruleActor(tenantId: string): SessionUser {
  return { id: '', username: 'automation', role: 'admin', tenantId };
}

/** What an action would do, as data (the simulator's answer, and a run's plan). */
export function describeAction(a: Action): Pick<ActionResult, 'type' | 'detail'> {
  const { type, ...detail } = a;
  return { type, detail };
}

/**
 * Carries out a rule's actions on a ticket, each on its own: one that fails says why in its
 * result, and the others still run.
 */
export class AutomationActions {
  constructor(
    private readonly tickets: TicketService,
    private readonly ticketRepo: TicketRepository,
    private readonly relations: TicketRelationsRepository,
    private readonly messenger: RuleMessenger,
  ) {}

  async run(
    actions: Action[],
    target: { ticketId: string | null; tenantId: string; round?: Round; link?: LinkFiring },
    actor: AutomationActor,
  ): Promise<{ results: ActionResult[]; ticketId: string | null }> {
    const results: ActionResult[] = [];
    let ticketId = target.ticketId;
    for (const [index, action] of actions.entries()) {
      const planned = describeAction(action);
      try {
        if (action.type === 'notify' || action.type === 'webhook') {
          const to = await this.messageTarget(target, ticketId, actor, index);
          const detail =
            action.type === 'notify'
              ? await this.messenger.notify(action, to)
              : await this.messenger.webhook(action, to);
          results.push({
            ...planned,
            detail: { ...planned.detail, ...detail },
            ok: true,
            error: null,
          });
          continue;
        }
        if (action.type === 'open_ticket') {
          ticketId = await this.openTicket(action, target.tenantId, target.round, actor);
          const ticket = await this.ticketRepo.findById(ticketId);
          results.push({
            ...planned,
            detail: { ...planned.detail, ticketNumber: ticket?.number ?? null },
            ok: true,
            error: null,
          });
          continue;
        }
        if (!ticketId) throw new Error('there is no ticket to act on');
        const detail = await this.apply(action, ticketId, target.tenantId, actor);
        results.push({
          ...planned,
          detail: { ...planned.detail, ...detail },
          ok: true,
          error: null,
        });
      } catch (err) {
        results.push({ ...planned, ok: false, error: (err as Error).message });
      }
    }
    return { results, ticketId };
  }

  /** Who and what a notify or webhook action of this run speaks of. */
  private async messageTarget(
    target: { tenantId: string; link?: LinkFiring },
    ticketId: string | null,
    actor: AutomationActor,
    index: number,
  ): Promise<RuleTarget> {
    const base = {
      tenantId: target.tenantId,
      ruleName: actor.ruleName,
      key: `automation:${actor.runId}:${index}`,
    };
    if (ticketId) {
      const t = await this.tickets.visible(ticketId, target.tenantId);
      const branch = t.branchId ? ((await this.relations.branchName(t.branchId)) ?? null) : null;
      return {
        ...base,
        about: { kind: 'ticket', number: t.number, subject: t.subject, branch, state: t.state },
        branchId: t.branchId,
        ticketId,
        facts: {
          number: t.number,
          subject: t.subject,
          branch,
          state: t.state,
          priority: t.priority,
        },
      };
    }
    if (!target.link) throw new Error('there is no ticket to act on');
    return { ...base, ...target.link, ticketId: null };
  }

  private async apply(
    a: Exclude<Action, { type: 'open_ticket' | 'notify' | 'webhook' }>,
    ticketId: string,
    tenantId: string,
    automation: AutomationActor,
  ): Promise<Record<string, unknown>> {
    const user = ruleActor(tenantId);
    const change = (input: Parameters<TicketService['change']>[2]) =>
      this.tickets.change(ticketId, user, input, { automation });
    switch (a.type) {
      case 'assign_person':
        await change({ assigneeId: a.userId });
        return {};
      case 'assign_group': {
        const t = await change({ groupId: a.groupId });
        return { assigneeId: t.assigneeId };
      }
      case 'set_priority':
        await change({ priority: a.priority });
        return {};
      case 'set_state':
        await change({ state: a.state });
        return {};
      case 'close':
        await change({ state: 'closed' });
        return {};
      case 'set_category':
        await change({ category: a.category });
        return {};
      case 'set_sla_policy':
        await change({ slaPolicyId: a.policyId });
        return {};
      case 'add_tag':
        return { added: await this.tickets.addTag(ticketId, user, a.tag, automation) };
      case 'remove_tag': {
        const had = (await this.relations.tags(ticketId)).includes(a.tag);
        if (had) await this.tickets.removeTag(ticketId, user, a.tag, automation);
        return { removed: had };
      }
      case 'add_note':
        await this.write(ticketId, tenantId, 'note', a.body, automation);
        return {};
      case 'canned_reply': {
        const ticket = await this.tickets.visible(ticketId, tenantId);
        const canned = await this.relations.findCannedReply(a.cannedReplyId);
        if (!canned || (canned.tenantId && canned.tenantId !== tenantId))
          throw new Error('the canned reply no longer exists');
        const body = renderCannedReply(canned.body, {
          'ticket.number': ticket.number,
          'ticket.subject': ticket.subject,
          'branch.name': ticket.branchId
            ? ((await this.relations.branchName(ticket.branchId)) ?? null)
            : null,
          'user.name': null,
        });
        await this.write(ticketId, tenantId, 'reply', body, automation);
        return { name: canned.name };
      }
    }
  }

  private async write(
    ticketId: string,
    tenantId: string,
    kind: 'note' | 'reply',
    body: string,
    automation: AutomationActor,
  ) {
    const ticket = await this.tickets.visible(ticketId, tenantId);
    if (ticket.state === 'closed') throw new Error(`ticket #${ticket.number} is closed`);
    const at = new Date();
    await this.ticketRepo.record(
      ticketId,
      [
        {
          kind,
          body,
          authorId: null,
          visibility: kind === 'reply' ? 'public' : 'internal',
          data: { automation },
          at,
        },
      ],
      at,
    );
    await this.tickets.changed(ticket);
  }

  private async openTicket(
    a: Extract<Action, { type: 'open_ticket' }>,
    tenantId: string,
    round: Round | undefined,
    automation: AutomationActor,
  ): Promise<string> {
    const body = round
      ? `${automation.ruleName}: ${round.checkName} measured ${round.field} ${round.value}`
      : automation.ruleName;
    const ticket = await this.ticketRepo.openForPerson({
      tenantId,
      branchId: round?.branchId ?? null,
      subject: a.subject,
      body,
      priority: a.priority,
      category: null,
      createdBy: null,
      at: new Date(),
    });
    await this.tickets.changed(ticket);
    return ticket.id;
  }
}
