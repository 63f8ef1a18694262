import type { Database } from '../db/database.js';
import { AttachmentContentRepository } from '../helpdesk/attachment-content.repository.js';
import { AttachmentStore, type AttachmentLimits } from '../helpdesk/attachment-store.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import { ArticleFileRepository } from './article-file.repository.js';
import { ArticleFileService } from './article-file.service.js';
import { ArticleRepository } from './article.repository.js';
import { ArticleService } from './article.service.js';

export type KnowledgeServices = ReturnType<typeof createKnowledge>;

/** Builds the knowledge base's services for the composition root (docs/knowledge-base.md). */
export function createKnowledge(deps: {
  db: Database;
  tickets: TicketService;
  audit: AuditService;
  /** An article's files take what ticket attachments take (BW_ATTACHMENT_*). */
  fileLimits: AttachmentLimits;
}) {
  const files = new ArticleFileRepository(deps.db);
  const knowledge = new ArticleService(
    new ArticleRepository(deps.db),
    deps.tickets,
    deps.db,
    deps.audit,
    files,
  );
  // Kept as ticket attachments are, in chunks of their own table (migration 037).
  const store = new AttachmentStore(
    new AttachmentContentRepository(deps.db, { table: 'kb_file_chunks', owner: 'file_id' }),
    deps.fileLimits,
  );
  return {
    knowledge,
    articleFiles: new ArticleFileService(knowledge, files, store, deps.audit),
  };
}
