import type { Database } from '../db/database.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { HelpdeskServices } from '../helpdesk/helpdesk.js';
import type { TicketRepository } from '../helpdesk/ticket.repository.js';
import { TicketRelationsRepository } from '../helpdesk/ticket-relations.repository.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import { AutomationActions } from './automation-actions.js';
import { AutomationEngine } from './automation-engine.js';
import { AutomationRepository } from './automation.repository.js';
import { AutomationService } from './automation.service.js';

/** Builds automation (docs/automation.md): the admin service, and the engine that runs rules. */
export function createAutomation(deps: {
  db: Database;
  rootDb: Database;
  tickets: TicketRepository;
  helpdesk: HelpdeskServices;
  events: EventBus;
  audit: AuditService;
  logger: Logger;
}) {
  const repo = new AutomationRepository(deps.db);
  const relations = new TicketRelationsRepository(deps.db);
  const { helpdesk } = deps;
  const actions = new AutomationActions(helpdesk.tickets, deps.tickets, relations);
  const engine = new AutomationEngine(
    repo,
    actions,
    helpdesk.sla,
    deps.db,
    deps.rootDb,
    deps.logger,
  );
  engine.listen(deps.events);
  return {
    service: new AutomationService(
      repo,
      helpdesk.sla,
      helpdesk.settings,
      helpdesk.tickets,
      deps.audit,
    ),
    engine,
  };
}
