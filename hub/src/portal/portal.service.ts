import { apiError, notFound } from '../http/errors.js';
import { CSV_BOM, csvRecord } from '../http/csv.js';
import type { Ticket, TicketEvent } from '../helpdesk/ticket.model.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { TicketConversationService } from '../helpdesk/ticket-conversation.service.js';
import type {
  AttachmentRow,
  TicketRelationsRepository,
} from '../helpdesk/ticket-relations.repository.js';
import type { TicketRepository } from '../helpdesk/ticket.repository.js';
import type { AttachmentSource } from '../helpdesk/attachment-store.js';
import type { SessionUser, UserAccess } from '../http/request-state.js';
import type { PortalReach, PortalRepository } from './portal.repository.js';
import { PORTAL_REOPEN_WINDOW_MS, type TicketState } from '@branchwatch/api';

export interface PortalTicketInput {
  subject: string;
  body: string;
  category: string | null;
  branchId: string;
}

/** States in which a reply from the person who asked hands the ticket back to the desk. */
const BACK_TO_DESK: readonly TicketState[] = ['answered', 'waiting'];

/** What a requester reads of a ticket's history: the conversation and its life, no notes. */
function isPublic(e: TicketEvent): boolean {
  if (e.visibility !== 'public') return false;
  if (e.kind === 'change') return e.field === 'state';
  return ['opened', 'reply', 'recovered', 'resolved', 'attachment'].includes(e.kind);
}

const CSV_HEADER = [
  'number',
  'subject',
  'state',
  'category',
  'branch',
  'opened_at',
  'resolved_at',
  'rating',
];

/**
 * The requester portal (docs/requesters.md): branch staff file tickets, follow known incidents,
 * reply, reopen within a window and rate the resolution. Everything goes through the helpdesk's
 * services; this adds who may reach which ticket: their own and the ones they follow, or every
 * ticket of their branches with `portal.branch_tickets`. Branches themselves are row-level
 * security's (the request's database scope).
 */
export class PortalService {
  constructor(
    private readonly portal: PortalRepository,
    private readonly tickets: TicketService,
    private readonly conversation: TicketConversationService,
    private readonly ticketRows: TicketRepository,
    private readonly relations: TicketRelationsRepository,
  ) {}

  /** Whether the person reaches a ticket in the portal (their live stream asks). */
  async reaches(id: string, reach: PortalReach): Promise<boolean> {
    return (await this.portal.find(id, reach)) !== undefined;
  }

  reachOf(user: SessionUser, access: UserAccess): PortalReach {
    return { userId: user.id, branchWide: access.permissions.has('portal.branch_tickets') };
  }

  /** Whether the first-visit tour is still to be shown to the person. */
  async tour(user: SessionUser): Promise<{ done: boolean }> {
    return { done: await this.portal.tourDone(user.id) };
  }

  /** Done (finished or skipped) or, from the Profile page, to be shown again. */
  async setTour(user: SessionUser, done: boolean): Promise<{ done: boolean }> {
    await this.portal.setTourDone(user.id, user.tenantId, done);
    return { done };
  }

  knownIncidents(user: SessionUser) {
    return this.portal.knownIncidents(user.id);
  }

  async list(reach: PortalReach) {
    const tickets = await this.portal.list(reach);
    const ratings = await this.portal.ratingsOf(tickets.map((t) => t.id));
    const names = await this.portal.branchNames(tickets);
    return tickets.map((ticket) => ({
      ticket,
      branchName: ticket.branchId ? (names.get(ticket.branchId) ?? null) : null,
      rating: ratings.get(ticket.id) ?? null,
    }));
  }

  /** The ticket if the person may reach it in the portal; else 404, as if it did not exist. */
  async reachable(id: string, reach: PortalReach): Promise<Ticket> {
    const ticket = await this.portal.find(id, reach);
    if (!ticket) throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${id} does not exist`);
    return ticket;
  }

  async get(id: string, reach: PortalReach, now = new Date()) {
    const ticket = await this.reachable(id, reach);
    const events = (await this.ticketRows.events(id)).filter(isPublic);
    return {
      ticket,
      branchName: (await this.portal.branchNames([ticket])).get(ticket.branchId ?? '') ?? null,
      events,
      attachments: await this.relations.attachments(id),
      rating: (await this.portal.ratingOf(id)) ?? null,
      followed: (await this.relations.watchers(id)).some((w) => w.id === reach.userId),
      reopenUntil: reopenUntil(ticket, now),
    };
  }

  async open(user: SessionUser, access: UserAccess, input: PortalTicketInput): Promise<Ticket> {
    return this.tickets.open(
      user,
      {
        ...input,
        priority: 'normal',
        groupId: null,
        assigneeId: null,
        requesterName: user.username,
        requesterContact: null,
      },
      access.branchIds,
    );
  }

  /**
   * A public reply. With a client key (the `Idempotency-Key` a reply written offline is sent
   * with, again and again until an answer comes back) a second arrival answers the reply the
   * first one stored, `repeated`, and changes nothing: the unique index decides a race.
   */
  async reply(
    id: string,
    user: SessionUser,
    reach: PortalReach,
    body: string,
    clientKey?: string,
  ): Promise<{ event: TicketEvent; mentioned: string[]; repeated: boolean }> {
    const ticket = await this.reachable(id, reach);
    const earlier = async () =>
      clientKey ? this.ticketRows.eventByClientKey(id, user.id, clientKey) : undefined;
    const first = await earlier();
    if (first) return { event: first, mentioned: [], repeated: true };
    let result;
    try {
      result = await this.conversation.reply(id, user, {
        body,
        visibility: 'public',
        ...(clientKey ? { clientKey } : {}),
      });
    } catch (error) {
      const raced = (error as { code?: string }).code === '23505' ? await earlier() : undefined;
      if (raced) return { event: raced, mentioned: [], repeated: true };
      throw error;
    }
    if (BACK_TO_DESK.includes(ticket.state)) await this.tickets.change(id, user, { state: 'open' });
    return { ...result, repeated: false };
  }

  /**
   * Follows a known incident of the person's branches (an active alert ticket), or a ticket
   * they already reach; following never opens other people's tickets to them.
   */
  async follow(id: string, user: SessionUser, reach: PortalReach): Promise<void> {
    const known = (await this.portal.knownIncidents(user.id)).some((k) => k.ticket.id === id);
    if (!known) await this.reachable(id, reach);
    await this.relations.addWatcher(id, user.id);
  }

  async unfollow(id: string, user: SessionUser, reach: PortalReach): Promise<void> {
    await this.reachable(id, reach);
    await this.relations.removeWatcher(id, user.id);
  }

  async reopen(id: string, user: SessionUser, reach: PortalReach, why: string | undefined) {
    const ticket = await this.reachable(id, reach);
    if (ticket.state !== 'resolved' || !reopenUntil(ticket, new Date()))
      throw apiError(
        409,
        'BW_ERR_REOPEN_WINDOW',
        ticket.state === 'resolved' || ticket.state === 'closed'
          ? `ticket #${ticket.number} can be reopened only within ${PORTAL_REOPEN_WINDOW_MS / 86_400_000} days of its resolution; file a new ticket`
          : `ticket #${ticket.number} is not resolved`,
        { state: ticket.state },
      );
    if (why) await this.conversation.reply(id, user, { body: why, visibility: 'public' });
    return this.tickets.change(id, user, { state: 'open' });
  }

  async rate(
    id: string,
    user: SessionUser,
    reach: PortalReach,
    score: number,
    comment: string | null,
  ) {
    const ticket = await this.reachable(id, reach);
    if (ticket.state !== 'resolved' && ticket.state !== 'closed')
      throw apiError(409, 'BW_ERR_NOT_RESOLVED', `ticket #${ticket.number} is not resolved yet`, {
        state: ticket.state,
      });
    await this.portal.rate(ticket, user.id, score, comment, new Date());
    return (await this.portal.ratingOf(id))!;
  }

  async attach(
    id: string,
    user: SessionUser,
    reach: PortalReach,
    file: { name: string; mimeType: string; source: AttachmentSource },
    clientKey?: string,
  ): Promise<{ attachment: AttachmentRow; repeated: boolean }> {
    await this.reachable(id, reach);
    // As a reply's key does (`reply` above): a photo sent again from the offline queue answers
    // the one stored first; the unique index decides a race.
    const earlier = async () =>
      clientKey ? this.relations.attachmentByClientKey(id, user.id, clientKey) : undefined;
    const first = await earlier();
    if (first) return { attachment: first, repeated: true };
    try {
      return {
        attachment: await this.conversation.attach(id, user, file, clientKey),
        repeated: false,
      };
    } catch (error) {
      const raced = (error as { code?: string }).code === '23505' ? await earlier() : undefined;
      if (raced) return { attachment: raced, repeated: true };
      throw error;
    }
  }

  async download(id: string, user: SessionUser, reach: PortalReach, attachmentId: string) {
    await this.reachable(id, reach);
    return this.conversation.download(id, user, attachmentId);
  }

  async *exportCsv(reach: PortalReach) {
    yield CSV_BOM + csvRecord(CSV_HEADER);
    for (const { ticket, branchName, rating } of await this.list(reach))
      yield csvRecord([
        ticket.number,
        ticket.subject,
        ticket.state,
        ticket.category,
        branchName,
        ticket.openedAt,
        ticket.resolvedAt,
        rating,
      ]);
  }
}

/** Until when a resolved ticket may be reopened; null when it may not (any more). */
export function reopenUntil(ticket: Ticket, now: Date): Date | null {
  if (ticket.state !== 'resolved' || !ticket.resolvedAt) return null;
  const until = new Date(ticket.resolvedAt.getTime() + PORTAL_REOPEN_WINDOW_MS);
  return until > now ? until : null;
}
