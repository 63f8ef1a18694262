import type { Language } from '@branchwatch/api';
import type { Database } from '../db/database.js';

export interface ArticleFileRow {
  id: string;
  articleId: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

const fileView = (r: Record<string, unknown>): ArticleFileRow => ({
  id: r.id as string,
  articleId: r.article_id as string,
  name: r.name as string,
  mimeType: r.content_type as string,
  size: Number(r.size),
  sha256: r.sha256 as string,
  createdAt: r.created_at as Date,
});

/**
 * An article's files (migration 037): the rows; their content is the attachment store's.
 * Which article a reader may see is checked before (ArticleService), under row-level
 * security, which keeps other tenants' files out here too.
 */
export class ArticleFileRepository {
  constructor(private readonly db: Database) {}

  async add(values: Omit<ArticleFileRow, 'id' | 'createdAt'>, authorId: string) {
    const [row] = (await this.db('kb_files')
      .insert({
        article_id: values.articleId,
        name: values.name,
        content_type: values.mimeType,
        size: values.size,
        sha256: values.sha256,
        created_by: authorId,
      })
      .returning('*')) as Record<string, unknown>[];
    return fileView(row!);
  }

  async list(articleId: string): Promise<ArticleFileRow[]> {
    const rows = (await this.db('kb_files')
      .where({ article_id: articleId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])) as Record<string, unknown>[];
    return rows.map(fileView);
  }

  async find(articleId: string, id: string): Promise<ArticleFileRow | undefined> {
    const row = (await this.db('kb_files').where({ article_id: articleId, id }).first()) as
      Record<string, unknown> | undefined;
    return row ? fileView(row) : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.db('kb_files').where({ id }).delete();
  }

  /** Records which of the article's files a saved version's text shows. */
  async linkVersion(articleId: string, language: Language, version: number, fileIds: string[]) {
    if (fileIds.length === 0) return;
    const row = (await this.db('kb_versions')
      .where({ article_id: articleId, language, version })
      .first('id')) as { id: string } | undefined;
    if (!row) return;
    // Only this article's files: an address of another article's file links nothing.
    const own = (await this.db('kb_files')
      .where({ article_id: articleId })
      .whereIn('id', fileIds)
      .pluck('id')) as string[];
    if (own.length === 0) return;
    await this.db('kb_version_files')
      .insert(own.map((fileId) => ({ version_id: row.id, file_id: fileId })))
      .onConflict()
      .ignore();
  }

  /** The files each version of a translation shows, by version number. */
  async ofVersions(articleId: string, language: Language): Promise<Map<number, string[]>> {
    const rows = (await this.db('kb_version_files as vf')
      .join('kb_versions as v', 'v.id', 'vf.version_id')
      .where({ 'v.article_id': articleId, 'v.language': language })
      .select('v.version', 'vf.file_id')) as { version: number; file_id: string }[];
    const out = new Map<number, string[]>();
    for (const r of rows) out.set(r.version, [...(out.get(r.version) ?? []), r.file_id]);
    return out;
  }

  /** The languages whose current text shows the file. */
  async shownIn(articleId: string, fileId: string): Promise<Language[]> {
    const rows = (await this.db('kb_translations as t')
      .join('kb_versions as v', (j) =>
        j
          .on('v.article_id', 't.article_id')
          .andOn('v.language', 't.language')
          .andOn('v.version', 't.version'),
      )
      .join('kb_version_files as vf', 'vf.version_id', 'v.id')
      .where({ 't.article_id': articleId, 'vf.file_id': fileId })
      .select('t.language')) as { language: Language }[];
    return rows.map((r) => r.language);
  }
}
