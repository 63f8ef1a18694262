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
import { RuleMessenger } from './rule-notify.js';
import type { NotifyDispatcher } from '../notify/dispatcher.js';
import type { NotifyRepository } from '../notify/notify.repository.js';
import type { DestinationGuard } from '../notify/webhook/destination-guard.js';

/** Builds automation (docs/automation.md): the admin service, and the engine that runs rules. */
export function createAutomation(deps: {
  db: Database;
  rootDb: Database;
  tickets: TicketRepository;
  helpdesk: HelpdeskServices;
  events: EventBus;
  audit: AuditService;
  logger: Logger;
  /** Rules' notify and webhook actions go through the notification outbox. */
  notify: { dispatcher: NotifyDispatcher; repo: NotifyRepository; destinations: DestinationGuard };
}) {
  const repo = new AutomationRepository(deps.db);
  const relations = new TicketRelationsRepository(deps.db);
  const { helpdesk } = deps;
  const messenger = new RuleMessenger(
    deps.rootDb,
    deps.notify.dispatcher,
    deps.notify.repo,
    deps.notify.destinations,
  );
  const actions = new AutomationActions(helpdesk.tickets, deps.tickets, relations, messenger);
  const engine = new AutomationEngine(
    repo,
    actions,
    helpdesk.sla,
    deps.db,
    deps.rootDb,
    deps.logger,
    helpdesk.availability,
  );
  engine.listen(deps.events);
  return {
    service: new AutomationService(
      repo,
      helpdesk.sla,
      helpdesk.settings,
      helpdesk.tickets,
      deps.audit,
      helpdesk.availability,
    ),
    engine,
  };
}
