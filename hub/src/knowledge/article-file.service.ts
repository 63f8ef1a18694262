import type { SessionUser } from '../http/request-state.js';
import { apiError, notFound } from '../http/errors.js';
import type { AttachmentSource, AttachmentStore } from '../helpdesk/attachment-store.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import type { Reader } from './article.repository.js';
import type { ArticleFileRepository } from './article-file.repository.js';
import type { ArticleService } from './article.service.js';

const LANGUAGE_NAMES = { en: 'English', fa: 'Persian', fr: 'French' } as const;

/**
 * An article's files and images (docs/knowledge-base.md "Files and images"), kept by the same
 * attachment store as ticket attachments: the same size bound and accepted types, scanned for
 * malware before the request's transaction (the route's `malwareScan`), in PostgreSQL under
 * row-level security. A file is read by whoever may read its article, so a requester reads a
 * published public article's image and never a draft's or another tenant's; only the
 * article's editors add and remove files.
 */
export class ArticleFileService {
  constructor(
    private readonly articles: ArticleService,
    private readonly files: ArticleFileRepository,
    private readonly store: AttachmentStore,
    private readonly audit: AuditService,
  ) {}

  async attach(
    articleId: string,
    user: SessionUser,
    reader: Reader,
    file: { name: string; mimeType: string; source: AttachmentSource },
  ) {
    const article = await this.articles.editable(articleId, user, reader);
    const measured = await this.store.measure(file.source, file.mimeType);
    const row = await this.files.add(
      {
        articleId: article.id,
        name: file.name,
        mimeType: file.mimeType.split(';')[0]!.trim().toLowerCase(),
        size: measured.size,
        sha256: measured.sha256,
      },
      user.id,
    );
    await this.store.write(row.id, file.source, measured.size);
    await this.audit.record({
      action: 'knowledge.file_added',
      target: `article:${article.id}`,
      tenantId: article.tenantId,
      details: { fileId: row.id, name: row.name, size: row.size, mimeType: row.mimeType },
    });
    return row;
  }

  async list(articleId: string, reader: Reader) {
    const article = await this.articles.readable(articleId, reader);
    return this.files.list(article.id);
  }

  async download(articleId: string, fileId: string, reader: Reader) {
    const article = await this.articles.readable(articleId, reader);
    const file = await this.files.find(article.id, fileId);
    if (!file) throw notFound('BW_ERR_NOT_FOUND', `file ${fileId} does not exist`);
    const content = await this.store.open(file.id);
    if (!content) throw notFound('BW_ERR_NOT_FOUND', `file ${fileId} has no content`);
    return { file, content };
  }

  /**
   * Removes a file no current text shows: one still shown would leave a reader a broken
   * image, so it is taken out of the text first. Older versions that showed it lose it.
   */
  async remove(articleId: string, fileId: string, user: SessionUser, reader: Reader) {
    const article = await this.articles.editable(articleId, user, reader);
    const file = await this.files.find(article.id, fileId);
    if (!file) throw notFound('BW_ERR_NOT_FOUND', `file ${fileId} does not exist`);
    const shownIn = await this.files.shownIn(article.id, file.id);
    if (shownIn.length > 0)
      throw apiError(
        409,
        'BW_ERR_FILE_IN_USE',
        `${file.name} is in the ${shownIn.map((l) => LANGUAGE_NAMES[l]).join(' and ')} text: take it out of the text and save before removing it`,
        { field: 'fileId', languages: shownIn },
      );
    await this.files.remove(file.id);
    await this.audit.record({
      action: 'knowledge.file_removed',
      target: `article:${article.id}`,
      tenantId: article.tenantId,
      details: { fileId: file.id, name: file.name },
    });
  }
}
