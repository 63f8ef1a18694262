import { restoreMarks } from './restore-marks.js';
import type { ArticleAudience, ArticleState, Language } from '@branchwatch/api';
import type { Database } from '../db/database.js';

/** Who reads: decides which articles exist for them (docs/knowledge-base.md "Who reads what"). */
export interface Reader {
  tenantId: string | null;
  /** Staff: internal articles and the internal state too. */
  internal: boolean;
  /** Editors: drafts and archived articles as well, where `drafts` is asked for. */
  manage: boolean;
}

export interface ArticleRow extends ArticleMeta {
  id: string;
  tenantId: string | null;
  sourceTicketId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TranslationRow {
  language: Language;
  title: string;
  bodyMd: string;
  bodyHtml: string;
  version: number;
  updatedAt: Date;
}

export interface VersionRow {
  version: number;
  language: Language;
  title: string;
  bodyMd: string;
  restoredFrom: number | null;
  author: string | null;
  createdAt: Date;
}

/** One word of a highlight: `mark` where the search matched. */
export interface Segment {
  text: string;
  mark: boolean;
}

export interface SearchHit {
  article: ArticleRow;
  language: Language;
  title: string;
  rank: number;
  /** The title and a passage of the body with the matched words marked (ts_headline). */
  titleMarks: Segment[];
  excerpt: Segment[];
}

export interface ArticleMeta {
  category: string;
  tags: string[];
  audience: ArticleAudience;
  state: ArticleState;
  checkTypes: string[];
  fingerprints: string[];
}

const articleView = (r: Record<string, unknown>): ArticleRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string | null,
  category: r.category as string,
  tags: r.tags as string[],
  audience: r.audience as ArticleAudience,
  state: r.state as ArticleState,
  checkTypes: r.check_types as string[],
  fingerprints: r.fingerprints as string[],
  sourceTicketId: r.source_ticket_id as string | null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const translationView = (r: Record<string, unknown>): TranslationRow => ({
  language: r.language as Language,
  title: r.title as string,
  bodyMd: r.body_md as string,
  bodyHtml: r.body_html as string,
  version: r.version as number,
  updatedAt: r.updated_at as Date,
});

// ts_headline marks matches with these (private-use characters no article contains once
// normalised), then they are cut into segments, so no HTML is built from an article's text.
const START = '\uE000';
const STOP = '\uE001';
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;

export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  for (const [i, part] of text.split(new RegExp(`[${START}${STOP}]`)).entries()) {
    if (part) out.push({ text: part, mark: i % 2 === 1 });
  }
  return out;
}

/**
 * Articles, their translations and versions, files, searches and deflections. Row-level
 * security keeps other tenants' articles out (migration 027); which of the visible ones a
 * reader may see (state, audience) is `visibleTo`, applied by every read here.
 */
export class ArticleRepository {
  constructor(private readonly db: Database) {}

  /** The where-clause of what `reader` may read; `drafts` adds editors' drafts and archive. */
  private visibleTo(q: ReturnType<Database>, reader: Reader, drafts: boolean, alias = 'a') {
    if (reader.tenantId)
      q.where((w) =>
        w.where(`${alias}.tenant_id`, reader.tenantId).orWhereNull(`${alias}.tenant_id`),
      );
    if (reader.manage && drafts) return q;
    if (reader.internal) return q.whereIn(`${alias}.state`, ['internal', 'published']);
    return q.where({ [`${alias}.state`]: 'published', [`${alias}.audience`]: 'public' });
  }

  async find(id: string, reader: Reader, drafts: boolean): Promise<ArticleRow | undefined> {
    const q = this.db('kb_articles as a').where('a.id', id).first('a.*');
    this.visibleTo(q, reader, drafts);
    const row = (await q) as Record<string, unknown> | undefined;
    return row ? articleView(row) : undefined;
  }

  async translations(articleId: string): Promise<TranslationRow[]> {
    const rows = await this.db('kb_translations')
      .where('article_id', articleId)
      .orderByRaw("array_position(array['en','fa','fr'], language)");
    return rows.map(translationView);
  }

  /** Articles for the editors' list (and staff), newest change first, with their titles. */
  async list(
    reader: Reader,
    filter: { state?: ArticleState; category?: string; uncategorised?: boolean },
    limit: number,
  ): Promise<(ArticleRow & { titles: { language: Language; title: string }[] })[]> {
    const q = this.db('kb_articles as a')
      .select('a.*')
      .select(
        this.db.raw(
          `coalesce((SELECT json_agg(json_build_object('language', t.language, 'title', t.title)
            ORDER BY array_position(array['en','fa','fr'], t.language))
            FROM kb_translations t WHERE t.article_id = a.id), '[]') AS titles`,
        ),
      )
      .orderBy('a.updated_at', 'desc')
      .limit(limit);
    this.visibleTo(q, reader, true);
    if (filter.state) q.where('a.state', filter.state);
    if (filter.category) q.where('a.category', filter.category);
    if (filter.uncategorised) q.where('a.category', '');
    const rows = (await q) as Record<string, unknown>[];
    return rows.map((r) => ({
      ...articleView(r),
      titles: r.titles as { language: Language; title: string }[],
    }));
  }

  /**
   * Full-text search over every translation the reader may see, each in its own language's
   * configuration; the best translation of each article, ranked (ts_rank_cd, title words
   * weigh more), preferring the reader's language on a tie.
   */
  async search(
    reader: Reader,
    tsquery: string,
    language: Language,
    opts: { limit: number; drafts: boolean },
  ): Promise<SearchHit[]> {
    const inner = this.db('kb_articles as a')
      .join('kb_translations as t', 't.article_id', 'a.id')
      .joinRaw('CROSS JOIN LATERAL to_tsquery(bw_kb_config(t.language), bw_kb_normalize(?)) q', [
        tsquery,
      ])
      .whereRaw('t.search @@ q')
      .distinctOn('a.id')
      .select('a.*', 't.language', 't.title', 't.body_text')
      .select(this.db.raw('q AS query'))
      .select(this.db.raw('ts_rank_cd(t.search, q) AS rank'))
      .orderBy('a.id')
      .orderByRaw('ts_rank_cd(t.search, q) DESC, (t.language = ?) DESC', [language]);
    this.visibleTo(inner, reader, opts.drafts);
    const rows = (await this.db
      .select('hit.*')
      .select(
        this.db.raw(
          `ts_headline(bw_kb_config(hit.language), bw_kb_normalize(hit.body_text), hit.query, ?) AS excerpt`,
          [HEADLINE],
        ),
      )
      .select(
        this.db.raw(
          `ts_headline(bw_kb_config(hit.language), bw_kb_normalize(hit.title), hit.query, ?) AS title_marks`,
          [`StartSel=${START}, StopSel=${STOP}, HighlightAll=true`],
        ),
      )
      .from(inner.as('hit'))
      .orderBy('hit.rank', 'desc')
      .orderBy('hit.updated_at', 'desc')
      .limit(opts.limit)) as Record<string, unknown>[];
    return rows.map((r) => ({
      article: articleView(r),
      language: r.language as Language,
      title: r.title as string,
      rank: Number(r.rank),
      titleMarks: restoreMarks(r.title as string, segments(r.title_marks as string)),
      excerpt: restoreMarks(r.body_text as string, segments(r.excerpt as string)),
    }));
  }

  /**
   * Published articles the reader may read, for a reader's front page: those with a text in
   * `language` first, then how many problems each solved since `since`, then the newest change.
   * The title is the reader's language's, else English's, else the first.
   */
  async highlights(reader: Reader, language: Language, since: Date, limit: number) {
    const q = this.db('kb_articles as a')
      .where('a.state', 'published')
      .select('a.*')
      .select(
        this.db.raw(
          `(SELECT count(*) FROM kb_deflections d WHERE d.article_id = a.id AND d.at >= ?) AS solved`,
          [since],
        ),
      )
      .select(
        this.db.raw(
          `(SELECT json_build_object('language', t.language, 'title', t.title) FROM kb_translations t
            WHERE t.article_id = a.id
            ORDER BY (t.language = ?) DESC, array_position(array['en','fa','fr'], t.language)
            LIMIT 1) AS shown`,
          [language],
        ),
      )
      .orderByRaw(
        'EXISTS (SELECT 1 FROM kb_translations t WHERE t.article_id = a.id AND t.language = ?) DESC',
        [language],
      )
      .orderBy([
        { column: 'solved', order: 'desc' },
        { column: 'a.updated_at', order: 'desc' },
      ])
      .limit(limit);
    this.visibleTo(q, reader, false);
    const rows = (await q) as Record<string, unknown>[];
    return rows
      .filter((r) => r.shown !== null)
      .map((r) => ({
        ...articleView(r),
        solved: Number(r.solved),
        shown: r.shown as { language: Language; title: string },
      }));
  }

  /** Runbooks: readable articles linked to this check type (or role) or fingerprint. */
  async runbooks(
    reader: Reader,
    links: { checkTypes: string[]; fingerprint: string | null },
  ): Promise<ArticleRow[]> {
    const q = this.db('kb_articles as a')
      .select('a.*')
      .where((w) => {
        w.whereRaw('a.check_types && ?::text[]', [links.checkTypes]);
        if (links.fingerprint) w.orWhereRaw('? = ANY (a.fingerprints)', [links.fingerprint]);
      })
      .orderBy('a.updated_at', 'desc')
      .limit(10);
    this.visibleTo(q, reader, false);
    return ((await q) as Record<string, unknown>[]).map(articleView);
  }

  async create(
    values: ArticleMeta & { tenantId: string | null; sourceTicketId: string | null },
    createdBy: string,
  ): Promise<string> {
    const [row] = (await this.db('kb_articles')
      .insert({
        tenant_id: values.tenantId,
        category: values.category,
        tags: values.tags,
        audience: values.audience,
        state: values.state,
        check_types: values.checkTypes,
        fingerprints: values.fingerprints,
        source_ticket_id: values.sourceTicketId,
        created_by: createdBy,
      })
      .returning('id')) as { id: string }[];
    return row!.id;
  }

  async update(id: string, values: Partial<ArticleMeta>): Promise<void> {
    const columns: Record<string, unknown> = { updated_at: this.db.fn.now() };
    if (values.category !== undefined) columns.category = values.category;
    if (values.tags !== undefined) columns.tags = values.tags;
    if (values.audience !== undefined) columns.audience = values.audience;
    if (values.state !== undefined) columns.state = values.state;
    if (values.checkTypes !== undefined) columns.check_types = values.checkTypes;
    if (values.fingerprints !== undefined) columns.fingerprints = values.fingerprints;
    await this.db('kb_articles').where({ id }).update(columns);
  }

  async remove(id: string): Promise<void> {
    await this.db('kb_articles').where({ id }).delete();
  }

  /** Saves a translation's text as its next version (or the first); the version number. */
  async saveText(
    articleId: string,
    language: Language,
    text: { title: string; bodyMd: string; bodyHtml: string; bodyText: string },
    author: { id: string; username: string },
    restoredFrom: number | null = null,
  ): Promise<number> {
    const last = (await this.db('kb_versions')
      .where({ article_id: articleId, language })
      .max('version as v')
      .first()) as { v: number | null } | undefined;
    const version = (last?.v ?? 0) + 1;
    await this.db('kb_versions').insert({
      article_id: articleId,
      language,
      version,
      title: text.title,
      body_md: text.bodyMd,
      restored_from: restoredFrom,
      created_by: author.id,
      created_by_name: author.username,
    });
    const row = {
      title: text.title,
      body_md: text.bodyMd,
      body_html: text.bodyHtml,
      body_text: text.bodyText,
      version,
      updated_by: author.id,
      updated_at: this.db.fn.now(),
    };
    await this.db('kb_translations')
      .insert({ article_id: articleId, language, ...row })
      .onConflict(['article_id', 'language'])
      .merge(row);
    await this.db('kb_articles').where({ id: articleId }).update({ updated_at: this.db.fn.now() });
    return version;
  }

  async versions(articleId: string, language: Language): Promise<VersionRow[]> {
    const rows = (await this.db('kb_versions')
      .where({ article_id: articleId, language })
      .orderBy('version', 'desc')) as Record<string, unknown>[];
    return rows.map((r) => ({
      version: r.version as number,
      language: r.language as Language,
      title: r.title as string,
      bodyMd: r.body_md as string,
      restoredFrom: r.restored_from as number | null,
      author: r.created_by_name as string | null,
      createdAt: r.created_at as Date,
    }));
  }

  async logSearch(tenantId: string | null, userId: string, query: string, results: number) {
    await this.db('kb_searches').insert({ tenant_id: tenantId, user_id: userId, query, results });
  }

  async deflect(tenantId: string | null, articleId: string, userId: string, query: string) {
    await this.db('kb_deflections').insert({
      tenant_id: tenantId,
      article_id: articleId,
      user_id: userId,
      query,
    });
  }

  /** Searches that found nothing since `since`, the same words together, most asked first. */
  async unanswered(since: Date, limit: number) {
    const rows = (await this.db('kb_searches')
      .where('results', 0)
      .where('at', '>=', since)
      .select(this.db.raw('lower(bw_kb_normalize(query)) AS query'))
      .count('* as count')
      .max('at as last_at')
      .groupByRaw('lower(bw_kb_normalize(query))')
      .orderBy([
        { column: 'count', order: 'desc' },
        { column: 'last_at', order: 'desc' },
      ])
      .limit(limit)) as unknown as { query: string; count: string; last_at: Date }[];
    return rows.map((r) => ({ query: r.query, count: Number(r.count), lastAt: r.last_at }));
  }

  /** Deflections per article since `since`, with a title to show. */
  async deflections(since: Date, limit: number) {
    const rows = (await this.db('kb_deflections as d')
      .where('d.at', '>=', since)
      .groupBy('d.article_id')
      .select('d.article_id')
      .count('* as count')
      .select(
        this.db.raw(`(SELECT t.title FROM kb_translations t WHERE t.article_id = d.article_id
          ORDER BY array_position(array['en','fa','fr'], t.language) LIMIT 1) AS title`),
      )
      .orderBy('count', 'desc')
      .limit(limit)) as { article_id: string; count: string; title: string | null }[];
    return rows.map((r) => ({
      articleId: r.article_id,
      title: r.title ?? '',
      count: Number(r.count),
    }));
  }

  /** How many searches there were since `since`, and how many found nothing. */
  async searchCounts(since: Date): Promise<{ searches: number; unanswered: number }> {
    const row = (await this.db('kb_searches')
      .where('at', '>=', since)
      .select(this.db.raw('count(*) AS searches'))
      .select(this.db.raw('count(*) FILTER (WHERE results = 0) AS unanswered'))
      .first()) as { searches: string; unanswered: string };
    return { searches: Number(row.searches), unanswered: Number(row.unanswered) };
  }
}

/** What an alert ticket's check is, for its runbooks (the check's type and its role). */
export async function checkLinksOf(db: Database, checkId: string): Promise<string[]> {
  const row = (await db('checks').where({ id: checkId }).first('type', 'role')) as
    { type: string; role: string | null } | undefined;
  return row ? [row.type, ...(row.role ? [row.role] : [])] : [];
}
