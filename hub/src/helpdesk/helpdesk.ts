import type { JobHealth } from '../core/job-health.js';
import type { HubConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { AuditRepository } from '../identity/audit/audit.repository.js';
import { AvailabilityRepository } from './sla/availability.repository.js';
import { AuditService } from '../identity/audit/audit.service.js';
import type { BranchRepository } from '../fleet/branch.repository.js';
import { SlaRepository } from './sla/sla.repository.js';
import { SupportGroupRepository } from './support-group.repository.js';
import { TicketRelationsRepository } from './ticket-relations.repository.js';
import type { TicketRepository } from './ticket.repository.js';
import { AttachmentStore } from './attachment-store.js';
import { AttachmentContentRepository } from './attachment-content.repository.js';
import { importAttachmentFiles } from './attachment-import.js';
import { AttachmentScanner } from './malware/attachment-scanner.js';
import { AvailabilityService } from './sla/availability.service.js';
import { SlaSweepService } from './sla/sla-sweep.service.js';
import { SlaService } from './sla/sla.service.js';
import { SupportGroupService } from './support-group.service.js';
import { TicketConversationService } from './ticket-conversation.service.js';
import { TicketService } from './ticket.service.js';
import { HelpdeskSettingsRepository } from './helpdesk-settings.repository.js';
import { HelpdeskSettingsService } from './helpdesk-settings.service.js';

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
  /** Where the SLA sweep's runs are recorded (core/job-health.ts). */
  jobs?: JobHealth;
}) {
  const { db, tickets, events } = deps;
  const relations = new TicketRelationsRepository(db);
  const slaRepo = new SlaRepository(db);
  // SLA policy changes and ticket deletion are audited (one chain, any instance).
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
  const content = new AttachmentContentRepository(db);
  const store = new AttachmentStore(content, {
    maxBytes: deps.config.helpdesk.attachmentMaxBytes,
    types: deps.config.helpdesk.attachmentTypes,
  });
  const scanner = new AttachmentScanner(deps.config.helpdesk.scanner, audit, deps.logger);
  // Said at every start, at info: an unset scanner is the default set-up (the README's one
  // command), and a warning there would make every clean start look troubled.
  if (!scanner.enabled) {
    deps.logger.info('attachments are not scanned for malware: BW_CLAMD_SOCKET is not set');
  }
  const sweep = new SlaSweepService(sla, slaRepo, tickets, groups, events, deps.logger, deps.jobs);
  return {
    services: {
      tickets: ticketService,
      scanner,
      conversation: new TicketConversationService(tickets, relations, ticketService, store),
      groups,
      sla,
      settings: new HelpdeskSettingsService(new HelpdeskSettingsRepository(db)),
      availability: new AvailabilityService(new AvailabilityRepository(db), deps.branches),
    },
    sweep,
    /** Moves an older hub's attachment files into the database (attachment-import.ts). */
    importAttachmentFiles: () => importAttachmentFiles(content, deps.config.dataDir, deps.logger),
    start: () => sweep.start(deps.config.helpdesk.slaSweepSeconds),
    stop: () => sweep.stop(),
  };
}
