import type { Database } from '../db/database.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import { ArticleRepository } from './article.repository.js';
import { ArticleService } from './article.service.js';

export type KnowledgeServices = ReturnType<typeof createKnowledge>;

/** Builds the knowledge base's service for the composition root (docs/knowledge-base.md). */
export function createKnowledge(deps: {
  db: Database;
  tickets: TicketService;
  audit: AuditService;
}) {
  return {
    knowledge: new ArticleService(
      new ArticleRepository(deps.db),
      deps.tickets,
      deps.db,
      deps.audit,
    ),
  };
}
