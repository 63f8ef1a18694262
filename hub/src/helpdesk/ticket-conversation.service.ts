import { apiError, notFound, rethrowDuplicate } from '../http/errors.js';
import { renderCannedReply, unknownVariables } from './canned-reply.js';
import { mentionedUsernames } from './mentions.js';
import { transitionProblem } from './workflow.js';
import type { TicketEventVisibility } from './ticket.model.js';
import type { TicketRelationsRepository } from './ticket-relations.repository.js';
import type { TicketRepository } from './ticket.repository.js';
import type { AttachmentSource, AttachmentStore } from './attachment-store.js';
import type { TicketService } from './ticket.service.js';
import type { SessionUser } from '../http/request-state.js';

export interface NewReply {
  /** Written text; with `cannedReplyId` it follows the rendered canned reply. */
  body?: string;
  cannedReplyId?: string;
  visibility: TicketEventVisibility;
  /** The author's `Idempotency-Key`: a second reply with it fails as a duplicate (23505). */
  clientKey?: string;
}

/**
 * The conversation of a ticket: public replies and internal notes, canned replies, @mentions,
 * watchers, links, merges and attachments (docs/tickets.md "Conversation").
 */
export class TicketConversationService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly relations: TicketRelationsRepository,
    private readonly ticketService: TicketService,
    private readonly store: AttachmentStore,
  ) {}

  /** Adds a reply or note; each @mentioned person of the tenant becomes a watcher. */
  async reply(id: string, user: SessionUser, input: NewReply) {
    const ticket = await this.ticketService.visible(id, user.tenantId);
    let body = input.body ?? '';
    if (input.cannedReplyId) {
      const canned = await this.relations.findCannedReply(input.cannedReplyId);
      if (!canned || (canned.tenantId && canned.tenantId !== ticket.tenantId)) {
        throw apiError(400, 'BW_ERR_VALIDATION', 'cannedReplyId: no such canned reply', {
          field: 'cannedReplyId',
        });
      }
      const rendered = renderCannedReply(canned.body, {
        'ticket.number': ticket.number,
        'ticket.subject': ticket.subject,
        'branch.name': ticket.branchId
          ? ((await this.relations.branchName(ticket.branchId)) ?? null)
          : null,
        'user.name': user.username,
      });
      body = body ? `${rendered}\n\n${body}` : rendered;
    }
    if (!body.trim()) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'body: a reply needs text', { field: 'body' });
    }
    const at = new Date();
    const mentioned = (await this.relations.peopleByUsername(mentionedUsernames(body))).filter(
      (p) => p.tenantId === null || p.tenantId === ticket.tenantId,
    );
    const kind = input.visibility === 'public' ? 'reply' : 'note';
    const [event] = await this.tickets.record(
      id,
      [
        {
          kind,
          body,
          authorId: user.id,
          visibility: input.visibility,
          at,
          ...(input.clientKey ? { clientKey: input.clientKey } : {}),
        },
        ...mentioned.map((p) => ({
          kind: 'mention' as const,
          authorId: user.id,
          visibility: 'internal' as const,
          newValue: p.username,
          data: { userId: p.id },
          at,
        })),
      ],
      at,
    );
    for (const person of mentioned) await this.relations.addWatcher(id, person.id);
    await this.relations.addWatcher(id, user.id);
    await this.ticketService.changed(ticket);
    return { event: event!, mentioned: mentioned.map((p) => p.username) };
  }

  async addWatcher(id: string, user: SessionUser, userId: string) {
    const ticket = await this.ticketService.visible(id, user.tenantId);
    const person = await this.relations.person(userId);
    if (!person || (person.tenantId && person.tenantId !== ticket.tenantId)) {
      throw apiError(400, 'BW_ERR_VALIDATION', `userId: user ${userId} does not exist`, {
        field: 'userId',
      });
    }
    if (await this.relations.addWatcher(id, userId)) {
      await this.ticketService.recordChange(id, user, 'watcher', null, person.username);
    }
  }

  async removeWatcher(id: string, user: SessionUser, userId: string) {
    await this.ticketService.visible(id, user.tenantId);
    const person = await this.relations.person(userId);
    if (!person || !(await this.relations.removeWatcher(id, userId))) {
      throw notFound('BW_ERR_NOT_FOUND', `user ${userId} does not watch ticket ${id}`);
    }
    await this.ticketService.recordChange(id, user, 'watcher', person.username, null);
  }

  async link(id: string, user: SessionUser, otherId: string) {
    const [a, b] = await this.pair(id, otherId, user);
    if (await this.relations.link(a.id, b.id)) {
      await this.ticketService.recordChange(a.id, user, 'link', null, String(b.number));
      await this.ticketService.recordChange(b.id, user, 'link', null, String(a.number));
    }
  }

  /**
   * Merges `id` into `targetId`: the conversation, attachments, tags and watchers move to the
   * target, and the source is closed with a note pointing at it.
   */
  async merge(id: string, user: SessionUser, targetId: string) {
    const [source, target] = await this.pair(id, targetId, user);
    const problem =
      source.state === 'closed' ? undefined : transitionProblem(source.state, 'closed');
    if (source.state === 'closed' || problem) {
      throw apiError(
        409,
        'BW_ERR_CONFLICT',
        problem ?? `ticket ${source.number} is already closed`,
      );
    }
    if (target.state === 'closed') {
      throw apiError(
        409,
        'BW_ERR_CONFLICT',
        `ticket ${target.number} is closed: merge into an open one`,
      );
    }
    await this.relations.moveConversation(source.id, target.id, source.number);
    const at = new Date();
    await this.tickets.change(
      source.id,
      { state: 'closed', mergedIntoId: target.id },
      [
        {
          kind: 'change',
          field: 'state',
          oldValue: source.state,
          newValue: 'closed',
          authorId: user.id,
          at,
        },
        {
          kind: 'note',
          visibility: 'internal',
          body: `Merged into ticket ${target.number}.`,
          authorId: user.id,
          field: 'merge',
          newValue: String(target.number),
          at,
        },
      ],
      at,
    );
    await this.tickets.record(
      target.id,
      [
        {
          kind: 'change',
          field: 'merge',
          oldValue: String(source.number),
          newValue: String(target.number),
          authorId: user.id,
          visibility: 'internal',
          body: `Ticket ${source.number} was merged into this one.`,
          at,
        },
      ],
      at,
    );
    await this.ticketService.changed(source);
    await this.ticketService.changed(target);
  }

  /** Stores an uploaded file (size and type checked by the store) and records it. */
  async attach(
    id: string,
    user: SessionUser,
    file: { name: string; mimeType: string; source: AttachmentSource },
    clientKey?: string,
  ) {
    const ticket = await this.ticketService.visible(id, user.tenantId);
    const measured = await this.store.measure(file.source, file.mimeType);
    const attachment = await this.relations.addAttachment(
      {
        ticketId: ticket.id,
        name: file.name,
        mimeType: file.mimeType,
        size: measured.size,
        sha256: measured.sha256,
        authorId: user.id,
      },
      clientKey,
    );
    await this.store.write(attachment.id, file.source, measured.size);
    const at = new Date();
    await this.tickets.record(
      id,
      [
        {
          kind: 'attachment',
          authorId: user.id,
          newValue: file.name,
          data: { attachmentId: attachment.id, size: measured.size, mimeType: file.mimeType },
          at,
        },
      ],
      at,
    );
    await this.ticketService.changed(ticket);
    return attachment;
  }

  async download(id: string, user: SessionUser, attachmentId: string) {
    await this.ticketService.visible(id, user.tenantId);
    const attachment = await this.relations.findAttachment(attachmentId);
    if (!attachment || attachment.ticketId !== id) {
      throw notFound('BW_ERR_NOT_FOUND', `attachment ${attachmentId} does not exist`);
    }
    const content = await this.store.open(attachment.id);
    if (!content) {
      // Recorded by an older hub whose file was not moved into the database yet: the hub
      // that holds the data folder moves it at its next start (attachment-import.ts).
      throw apiError(
        409,
        'BW_ERR_ATTACHMENT_NOT_MOVED',
        `the content of attachment ${attachmentId} is still in an older hub's data folder; it is moved into the database when that hub starts`,
      );
    }
    return { attachment, content };
  }

  cannedReplies(tenantId: string | null) {
    return this.relations.cannedReplies(tenantId);
  }

  async createCannedReply(tenantId: string | null, name: string, body: string) {
    checkCannedBody(body);
    return this.relations
      .createCannedReply({ tenantId, name, body })
      .catch((err: unknown) => rethrowDuplicate(err, `a canned reply named ${name}`));
  }

  async updateCannedReply(
    id: string,
    tenantId: string | null,
    values: { name?: string; body?: string },
  ) {
    await this.ownCannedReply(id, tenantId);
    if (values.body !== undefined) checkCannedBody(values.body);
    return this.relations
      .updateCannedReply(id, values)
      .catch((err: unknown) => rethrowDuplicate(err, `a canned reply named ${values.name}`));
  }

  async removeCannedReply(id: string, tenantId: string | null) {
    await this.ownCannedReply(id, tenantId);
    await this.relations.removeCannedReply(id);
  }

  /** A canned reply the caller may change: their tenant's (shared ones only by global admins). */
  private async ownCannedReply(id: string, tenantId: string | null) {
    const canned = await this.relations.findCannedReply(id);
    if (!canned || (tenantId && canned.tenantId !== tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `canned reply ${id} does not exist`);
    }
    return canned;
  }

  private async pair(id: string, otherId: string, user: SessionUser) {
    if (id === otherId) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'a ticket cannot be linked or merged with itself');
    }
    const a = await this.ticketService.visible(id, user.tenantId);
    const b = await this.ticketService.visible(otherId, user.tenantId);
    if (a.tenantId !== b.tenantId) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'tickets of different tenants cannot be joined');
    }
    return [a, b] as const;
  }
}

/** A canned reply may use only the known variables (canned-reply.ts): 400 naming the first other. */
function checkCannedBody(body: string): void {
  const unknown = unknownVariables(body);
  if (unknown.length) {
    throw apiError(400, 'BW_ERR_VALIDATION', `body: unknown variable {{${unknown[0]}}}`, {
      field: 'body',
    });
  }
}
