import type { HubConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { AvailabilityRepository } from '../repositories/availability.repository.js';
import { AuditService } from '../services/audit.service.js';
import type { BranchRepository } from '../repositories/branch.repository.js';
import { SlaRepository } from '../repositories/sla.repository.js';
import { SupportGroupRepository } from '../repositories/support-group.repository.js';
import { TicketRelationsRepository } from '../repositories/ticket-relations.repository.js';
import type { TicketRepository } from '../repositories/ticket.repository.js';
import { AttachmentStore } from '../services/attachment-store.js';
import { AvailabilityService } from '../services/availability.service.js';
import { SlaSweepService } from '../services/sla-sweep.service.js';
import { SlaService } from '../services/sla.service.js';
import { SupportGroupService } from '../services/support-group.service.js';
import { TicketConversationService } from '../services/ticket-conversation.service.js';
import { TicketService } from '../services/ticket.service.js';

export type HelpdeskServices = ReturnType<typeof createHelpdesk>['services'];

/**
 * Builds the helpdesk's services (tickets, conversation, support groups, SLA, availability)
 * and its SLA sweep, so that the composition root needs one line for them.
 */
export function createHelpdesk(deps: {
  db: Database;
  tickets: TicketRepository;
  branches: BranchRepository;
  events: EventBus;
  config: HubConfig;
  logger: Logger;
}) {
  const { db, tickets, events } = deps;
  const relations = new TicketRelationsRepository(db);
  const slaRepo = new SlaRepository(db);
  // Issue 6: SLA policy changes and ticket deletion are audited (one chain, any instance).
  const audit = new AuditService(new AuditRepository(db), deps.logger);
  const sla = new SlaService(slaRepo, audit);
  const groups = new SupportGroupService(new SupportGroupRepository(db), tickets);
  const ticketService = new TicketService(
    tickets,
    relations,
    deps.branches,
    groups,
    sla,
    events,
    audit,
  );
  const store = new AttachmentStore(deps.config.dataDir, {
    maxBytes: deps.config.helpdesk.attachmentMaxBytes,
    types: deps.config.helpdesk.attachmentTypes,
  });
  const sweep = new SlaSweepService(sla, slaRepo, tickets, groups, events, deps.logger);
  return {
    services: {
      tickets: ticketService,
      conversation: new TicketConversationService(tickets, relations, ticketService, store),
      groups,
      sla,
      availability: new AvailabilityService(new AvailabilityRepository(db), deps.branches),
    },
    sweep,
    start: () => sweep.start(deps.config.helpdesk.slaSweepSeconds),
    stop: () => sweep.stop(),
  };
}
