import { diffLines } from 'diff';
import type { ArticleAudience, ArticleState, Language } from '@branchwatch/api';
import { apiError, notFound } from '../http/errors.js';
import type { SessionUser, UserAccess } from '../http/request-state.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { Database } from '../db/database.js';
import { articleText, filesShown, plainText, renderArticle } from './article-html.js';
import type { ArticleFileRepository } from './article-file.repository.js';
import {
  checkLinksOf,
  type ArticleMeta,
  type ArticleRepository,
  type ArticleRow,
  type Reader,
  type TranslationRow,
} from './article.repository.js';
import { PLACEHOLDERS_BY_LANGUAGE, withoutPersonalData } from './personal-data.js';
import { tsqueryOf } from './search-words.js';
import { draftHeadings } from './draft-text.js';

export interface TranslationInput {
  language: Language;
  title: string;
  body: string;
}

export interface NewArticle extends ArticleMeta {
  tenantId?: string | null;
  translations: TranslationInput[];
}

/** A change between two versions of a text, line by line. */
export interface DiffPart {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

const DAY = 86_400_000;

/** The reader a signed-in user is, from their effective permissions. */
export function readerOf(user: SessionUser, access: UserAccess): Reader {
  return {
    tenantId: user.tenantId,
    internal: access.permissions.has('knowledge.internal'),
    manage: access.permissions.has('knowledge.manage'),
  };
}

/**
 * The knowledge base (docs/knowledge-base.md): articles and their translations, versions with
 * a diff and a rollback (both in the audit chain), search and suggestions, deflections and the
 * report of searches that found nothing, runbooks of alert tickets and drafts from tickets.
 */
export class ArticleService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly tickets: TicketService,
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly files?: ArticleFileRepository,
  ) {}

  /** An article `reader` may read (editors: drafts and the archive too), else 404. */
  readable(id: string, reader: Reader): Promise<ArticleRow> {
    return this.article(id, reader);
  }

  private async article(id: string, reader: Reader, drafts = true): Promise<ArticleRow> {
    const article = await this.articles.find(id, reader, drafts);
    if (!article) throw notFound('BW_ERR_ARTICLE_NOT_FOUND', `article ${id} does not exist`);
    return article;
  }

  /** An article `user` may change: their tenant's own, or any to a global editor. */
  async editable(id: string, user: SessionUser, reader: Reader): Promise<ArticleRow> {
    const article = await this.article(id, reader);
    if (user.tenantId && article.tenantId !== user.tenantId)
      throw apiError(
        403,
        'BW_ERR_FORBIDDEN',
        'a shared article is changed by a global editor only',
      );
    return article;
  }

  /** An article as `reader` reads it: its translations, and to editors their Markdown. */
  async get(id: string, reader: Reader) {
    const article = await this.article(id, reader);
    const translations = await this.articles.translations(id);
    return {
      ...article,
      translations: translations.map((t) => this.translationView(t, reader)),
    };
  }

  private translationView(t: TranslationRow, reader: Reader) {
    return {
      language: t.language,
      title: t.title,
      html: t.bodyHtml,
      version: t.version,
      updatedAt: t.updatedAt,
      // Only editors get the source; readers get the sanitised HTML.
      ...(reader.manage ? { markdown: t.bodyMd } : {}),
    };
  }

  list(
    reader: Reader,
    filter: { state?: ArticleState; category?: string; uncategorised?: boolean },
  ) {
    return this.articles.list(reader, filter, 200);
  }

  /**
   * Search as a person asks it (the knowledge page, the Telegram bot): logged, so the report of
   * searches that found nothing can show what people looked for in vain.
   */
  async search(user: SessionUser, reader: Reader, text: string, language: Language, limit = 20) {
    const query = tsqueryOf(text, 'all');
    const hits = query
      ? await this.articles.search(reader, query, language, { limit, drafts: false })
      : [];
    if (query) await this.articles.logSearch(user.tenantId, user.id, text.trim(), hits.length);
    return hits;
  }

  /** Suggestions while a ticket's subject is typed: any of its words, not logged. */
  async suggest(reader: Reader, text: string, language: Language, limit = 5) {
    const query = tsqueryOf(text, 'any');
    if (!query) return [];
    return this.articles.search(reader, query, language, { limit, drafts: false });
  }

  async create(user: SessionUser, reader: Reader, input: NewArticle, sourceTicketId?: string) {
    // A tenant's editor writes for the tenant; a global editor for one tenant or for all.
    const tenantId = user.tenantId ?? input.tenantId ?? null;
    if (user.tenantId && input.tenantId && input.tenantId !== user.tenantId)
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: you write for your own tenant only', {
        field: 'tenantId',
      });
    const id = await this.articles.create(
      { ...input, tenantId, sourceTicketId: sourceTicketId ?? null },
      user.id,
    );
    for (const t of input.translations) await this.saveText(id, t, user);
    await this.audit.record({
      action: 'knowledge.article_created',
      target: `article:${id}`,
      tenantId,
      details: { state: input.state, audience: input.audience, languages: languagesOf(input) },
    });
    return this.get(id, reader);
  }

  async update(id: string, user: SessionUser, reader: Reader, changes: Partial<ArticleMeta>) {
    const before = await this.editable(id, user, reader);
    await this.articles.update(id, changes);
    const changed = Object.fromEntries(
      Object.entries(changes).filter(
        ([key, value]) =>
          JSON.stringify(value) !== JSON.stringify(before[key as keyof ArticleMeta]),
      ),
    );
    if (Object.keys(changed).length)
      await this.audit.record({
        action: 'knowledge.article_changed',
        target: `article:${id}`,
        tenantId: before.tenantId,
        details: {
          changed,
          ...(changed.state ? { from: before.state } : {}),
          ...(changed.audience ? { fromAudience: before.audience } : {}),
        },
      });
    return this.get(id, reader);
  }

  async remove(id: string, user: SessionUser, reader: Reader) {
    const article = await this.editable(id, user, reader);
    const titles = (await this.articles.translations(id)).map((t) => t.title);
    await this.articles.remove(id);
    await this.audit.record({
      action: 'knowledge.article_deleted',
      target: `article:${id}`,
      tenantId: article.tenantId,
      details: { titles, state: article.state },
    });
  }

  /** Saves one language's text as its next version (docs/knowledge-base.md "Versions"). */
  async saveTranslation(id: string, user: SessionUser, reader: Reader, input: TranslationInput) {
    const article = await this.editable(id, user, reader);
    const version = await this.saveText(id, input, user);
    await this.audit.record({
      action: 'knowledge.version_saved',
      target: `article:${id}`,
      tenantId: article.tenantId,
      details: { language: input.language, version },
    });
    return this.get(id, reader);
  }

  private async saveText(
    id: string,
    t: TranslationInput,
    user: SessionUser,
    restoredFrom?: number,
  ) {
    const html = renderArticle(t.body);
    const version = await this.articles.saveText(
      id,
      t.language,
      { title: t.title, bodyMd: t.body, bodyHtml: html, bodyText: plainText(html) },
      user,
      restoredFrom ?? null,
    );
    // The version references the article's files its text shows (migration 037).
    await this.files?.linkVersion(id, t.language, version, filesShown(html, id));
    return version;
  }

  /** A translation's versions, newest first, each with its diff against the one before. */
  async versions(id: string, reader: Reader, language: Language) {
    await this.article(id, reader);
    const versions = await this.articles.versions(id, language);
    const files = (await this.files?.ofVersions(id, language)) ?? new Map<number, string[]>();
    return versions.map((v, i) => {
      const previous = versions[i + 1];
      return {
        version: v.version,
        title: v.title,
        markdown: v.bodyMd,
        restoredFrom: v.restoredFrom,
        author: v.author,
        createdAt: v.createdAt,
        titleChanged: previous ? previous.title !== v.title : false,
        files: files.get(v.version) ?? [],
        diff: diffOf(previous?.bodyMd ?? '', v.bodyMd),
      };
    });
  }

  /**
   * One click back to an earlier version: its text is saved as a new version (history only
   * grows), and the rollback is recorded in the audit chain with both numbers.
   */
  async rollback(
    id: string,
    user: SessionUser,
    reader: Reader,
    language: Language,
    version: number,
  ) {
    const article = await this.editable(id, user, reader);
    const versions = await this.articles.versions(id, language);
    const target = versions.find((v) => v.version === version);
    if (!target)
      throw apiError(400, 'BW_ERR_VALIDATION', `version: ${language} has no version ${version}`, {
        field: 'version',
      });
    const current = versions[0]!.version;
    const saved = await this.saveText(
      id,
      { language, title: target.title, body: target.bodyMd },
      user,
      version,
    );
    await this.audit.record({
      action: 'knowledge.rolled_back',
      target: `article:${id}`,
      tenantId: article.tenantId,
      details: { language, from: current, to: version, newVersion: saved },
    });
    return this.get(id, reader);
  }

  preview(markdown: string): string {
    return renderArticle(markdown);
  }

  /** "This solved my problem": a ticket not filed, counted for the article's report. */
  async deflect(id: string, user: SessionUser, reader: Reader, query: string) {
    const article = await this.article(id, reader, false);
    await this.articles.deflect(user.tenantId, article.id, user.id, query.trim());
  }

  /**
   * For a reader's front page (the portal's home): the articles that solved most problems in
   * the last 90 days, and the newest of the others, in the reader's language where written.
   */
  async highlights(reader: Reader, language: Language, now = new Date()) {
    const rows = await this.articles.highlights(
      reader,
      language,
      new Date(now.getTime() - 90 * DAY),
      30,
    );
    const view = (r: (typeof rows)[number]) => ({
      id: r.id,
      category: r.category,
      language: r.shown.language,
      title: r.shown.title,
      solved: r.solved,
      updatedAt: r.updatedAt,
    });
    const popular = rows.filter((r) => r.solved > 0).slice(0, 3);
    const recent = rows
      .filter((r) => !popular.includes(r))
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(0, 3);
    return { popular: popular.map(view), recent: recent.map(view) };
  }

  /** Searches that found nothing, and the articles that solved problems, over `days`. */
  async report(days: number, now = new Date()) {
    const since = new Date(now.getTime() - days * DAY);
    return {
      since,
      ...(await this.articles.searchCounts(since)),
      unansweredQueries: await this.articles.unanswered(since, 50),
      deflections: await this.articles.deflections(since, 50),
    };
  }

  /**
   * Who reads an agent's public reply on a ticket: its requester, a person of the ticket's
   * tenant with `knowledge.read` only, so published public articles of that tenant (and the
   * shared ones). The agent must see the ticket (404 otherwise, as every ticket route).
   */
  private async requesterOf(ticketId: string, user: SessionUser): Promise<Reader> {
    const ticket = await this.tickets.visible(ticketId, user.tenantId);
    return { tenantId: ticket.tenantId, internal: false, manage: false };
  }

  /** Articles for a reply: what the ticket's requester may read, found as the words are typed. */
  async forReply(
    ticketId: string,
    user: SessionUser,
    text: string,
    language: Language,
    limit: number,
  ) {
    const reader = await this.requesterOf(ticketId, user);
    const query = tsqueryOf(text, 'all');
    if (!query) return [];
    return this.articles.search(reader, query, language, { limit, drafts: false });
  }

  /**
   * One article as a reply inserts it: its title and its text in `language` (else English,
   * else the first), as plain text, the way the ticket's requester would read it. An article
   * the requester may not read does not exist here (404), so it is never put in a reply.
   */
  async replyText(ticketId: string, articleId: string, user: SessionUser, language: Language) {
    const reader = await this.requesterOf(ticketId, user);
    const article = await this.article(articleId, reader, false);
    const translations = await this.articles.translations(article.id);
    const chosen =
      translations.find((t) => t.language === language) ??
      translations.find((t) => t.language === 'en') ??
      translations[0];
    if (!chosen) throw notFound('BW_ERR_ARTICLE_NOT_FOUND', `article ${articleId} has no text`);
    return {
      id: article.id,
      language: chosen.language,
      title: chosen.title,
      text: articleText(chosen.bodyHtml),
    };
  }

  /** The articles linked to an alert ticket's check type, check role or fingerprint. */
  async runbooks(ticketId: string, user: SessionUser, reader: Reader) {
    const ticket = await this.tickets.visible(ticketId, user.tenantId);
    const links = ticket.checkId ? await checkLinksOf(this.db, ticket.checkId) : [];
    if (ticket.fingerprint?.endsWith(':agent')) links.push('agent');
    if (links.length === 0 && !ticket.fingerprint) return [];
    const articles = await this.articles.runbooks(reader, {
      checkTypes: links,
      fingerprint: ticket.fingerprint,
    });
    return Promise.all(
      articles.map(async (a) => ({
        ...a,
        titles: (await this.articles.translations(a.id)).map((t) => ({
          language: t.language,
          title: t.title,
        })),
      })),
    );
  }

  /**
   * A draft from a resolved ticket: its subject and public conversation, with the people
   * left out (personal-data.ts). Internal notes stay out: they were never meant for readers.
   */
  async draftFromTicket(ticketId: string, user: SessionUser, reader: Reader, language: Language) {
    const { ticket, events } = await this.tickets.get(ticketId, user.tenantId);
    if (ticket.state !== 'resolved' && ticket.state !== 'closed')
      throw apiError(
        409,
        'BW_ERR_CONFLICT',
        `ticket #${ticket.number} is ${ticket.state}: draft an article from a resolved ticket`,
      );
    const names = [
      ticket.requesterName ?? '',
      ticket.requesterContact ?? '',
      ...events.flatMap((e) => (e.author ? [e.author] : [])),
    ];
    const scrub = (text: string) =>
      withoutPersonalData(text, names, PLACEHOLDERS_BY_LANGUAGE[language]);
    const opened = events.find((e) => e.kind === 'opened' && e.body);
    const replies = events.filter((e) => e.kind === 'reply' && e.visibility === 'public' && e.body);
    const words = draftHeadings[language];
    const body = [
      `## ${words.problem}`,
      '',
      scrub(opened?.body ?? ticket.subject),
      '',
      `## ${words.solution}`,
      '',
      ...replies.flatMap((e) => [scrub(e.body!), '']),
    ].join('\n');
    return this.create(
      user,
      reader,
      {
        category: ticket.category ?? '',
        tags: [],
        audience: 'internal' as ArticleAudience,
        state: 'draft',
        checkTypes: [],
        fingerprints: [],
        tenantId: ticket.tenantId,
        translations: [{ language, title: scrub(ticket.subject), body: body.trim() + '\n' }],
      },
      ticket.id,
    );
  }
}

function languagesOf(input: NewArticle): Language[] {
  return input.translations.map((t) => t.language);
}

export function diffOf(before: string, after: string): DiffPart[] {
  return diffLines(before, after).map((part) => ({
    kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}
