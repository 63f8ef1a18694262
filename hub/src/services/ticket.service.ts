import { notFound } from '../errors.js';
import type { TicketState } from '../models/ticket.model.js';
import type { TicketRepository } from '../repositories/ticket.repository.js';

export class TicketService {
  constructor(private readonly tickets: TicketRepository) {}

  list(
    tenantId: string | null,
    state: TicketState | 'active' | undefined,
    limit: number,
    offset: number,
  ) {
    return this.tickets.list({ tenantId, state, limit, offset });
  }

  async get(id: string, tenantId: string | null) {
    const ticket = await this.tickets.findById(id);
    if (!ticket || (tenantId && ticket.tenantId !== tenantId)) {
      throw notFound('BW_ERR_TICKET_NOT_FOUND', `ticket ${id} does not exist`);
    }
    return { ticket, events: await this.tickets.events(id) };
  }
}
