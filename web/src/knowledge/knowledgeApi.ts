import type { ApiClient } from '../api/client';
import type { ApiAnswer, ApiBody } from '../api/types';
import type { Language } from '../i18n';

// The knowledge base's calls (docs/knowledge-base.md), typed from the hub's OpenAPI document.

type Items<T> = T extends { items: (infer I)[] } ? I : never;
export type ArticleSummary = Items<ApiAnswer<'/api/v1/knowledge/articles', 'get'>>;
export type Article = ApiAnswer<'/api/v1/knowledge/articles/{id}', 'get'>;
export type ArticleTranslation = Article['translations'][number];
export type SearchHit = Items<ApiAnswer<'/api/v1/knowledge/search', 'get'>>;
export type Marked = SearchHit['excerpt'];
export type ArticleVersion = Items<ApiAnswer<'/api/v1/knowledge/articles/{id}/versions', 'get'>>;
export type ReplyArticle = ApiAnswer<'/api/v1/knowledge/tickets/{id}/articles/{articleId}', 'get'>;
export type Highlights = ApiAnswer<'/api/v1/knowledge/highlights', 'get'>;
export type KnowledgeReport = ApiAnswer<'/api/v1/knowledge/report', 'get'>;
export type NewArticle = ApiBody<'/api/v1/knowledge/articles', 'post'>;
export type ArticleChange = ApiBody<'/api/v1/knowledge/articles/{id}', 'patch'>;
export type ArticleFile = Items<ApiAnswer<'/api/v1/knowledge/articles/{id}/files', 'get'>>;

type Send = Pick<ApiClient, 'send' | 'uploadFile'>;
const ticketPath = (id: string) => `/api/v1/knowledge/tickets/${encodeURIComponent(id)}`;
const path = (id: string) => `/api/v1/knowledge/articles/${encodeURIComponent(id)}`;
const query = (q: string, language: Language, limit: number) =>
  new URLSearchParams({ q, language, limit: String(limit) }).toString();

export function knowledgeApi(api: Send) {
  return {
    /** `category`: a category's articles; `null`: those without one; undefined: all. */
    list: async (category?: string | null): Promise<ArticleSummary[]> => {
      const filter =
        category === undefined
          ? ''
          : `?${new URLSearchParams(category === null ? { uncategorised: 'true' } : { category })}`;
      return (
        await api.send<{ items: ArticleSummary[] }>('GET', `/api/v1/knowledge/articles${filter}`)
      ).items;
    },
    article: (id: string) => api.send<Article>('GET', path(id)),
    search: async (q: string, language: Language, limit = 20): Promise<SearchHit[]> =>
      (
        await api.send<{ items: SearchHit[] }>(
          'GET',
          `/api/v1/knowledge/search?${query(q, language, limit)}`,
        )
      ).items,
    suggestions: async (q: string, language: Language, limit = 5): Promise<SearchHit[]> =>
      (
        await api.send<{ items: SearchHit[] }>(
          'GET',
          `/api/v1/knowledge/suggestions?${query(q, language, limit)}`,
        )
      ).items,
    highlights: (language: Language) =>
      api.send<Highlights>(
        'GET',
        `/api/v1/knowledge/highlights?${new URLSearchParams({ language })}`,
      ),
    solved: (id: string, q: string) =>
      api.send<void>('POST', `${path(id)}/deflections`, { query: q.slice(0, 300) }),
    create: (body: NewArticle) => api.send<Article>('POST', '/api/v1/knowledge/articles', body),
    change: (id: string, body: ArticleChange) => api.send<Article>('PATCH', path(id), body),
    saveText: (id: string, language: Language, title: string, body: string) =>
      api.send<Article>('PUT', `${path(id)}/translations/${language}`, { title, body }),
    versions: async (id: string, language: Language): Promise<ArticleVersion[]> =>
      (
        await api.send<{ items: ArticleVersion[] }>(
          'GET',
          `${path(id)}/versions?${new URLSearchParams({ language })}`,
        )
      ).items,
    rollback: (id: string, language: Language, version: number) =>
      api.send<Article>('POST', `${path(id)}/rollback`, { language, version }),
    files: async (id: string): Promise<ArticleFile[]> =>
      (await api.send<{ items: ArticleFile[] }>('GET', `${path(id)}/files`)).items,
    /** The file is the raw body, its type the Content-Type (as a ticket attachment). */
    addFile: (id: string, file: File) =>
      api.uploadFile<ArticleFile>(
        `${path(id)}/files?${new URLSearchParams({ name: file.name || 'image.png' })}`,
        file,
      ),
    removeFile: (id: string, fileId: string) =>
      api.send<void>('DELETE', `${path(id)}/files/${encodeURIComponent(fileId)}`),
    preview: async (markdown: string): Promise<string> =>
      (await api.send<{ html: string }>('POST', '/api/v1/knowledge/preview', { markdown })).html,
    report: (days = 30) =>
      api.send<KnowledgeReport>('GET', `/api/v1/knowledge/report?days=${days}`),
    runbooks: async (ticketId: string): Promise<ArticleSummary[]> =>
      (await api.send<{ items: ArticleSummary[] }>('GET', `${ticketPath(ticketId)}/runbooks`))
        .items,
    /** A draft from a resolved ticket's conversation, the people left out. */
    draftFromTicket: (ticketId: string, language: Language) =>
      api.send<Article>('POST', `${ticketPath(ticketId)}/draft`, { language }),
    /** For an agent's reply: the articles the ticket's requester may read. */
    forReply: async (ticketId: string, q: string, language: Language): Promise<SearchHit[]> =>
      (
        await api.send<{ items: SearchHit[] }>(
          'GET',
          `${ticketPath(ticketId)}/articles?${query(q, language, 8)}`,
        )
      ).items,
    replyText: (ticketId: string, articleId: string, language: Language) =>
      api.send<ReplyArticle>(
        'GET',
        `${ticketPath(ticketId)}/articles/${encodeURIComponent(articleId)}?${new URLSearchParams({ language })}`,
      ),
  };
}
export type KnowledgeApi = ReturnType<typeof knowledgeApi>;

/** The translation to show a reader: their language, else English, else the first. */
export function translationFor<T extends { language: string }>(
  translations: readonly T[],
  language: Language,
): T | undefined {
  return (
    translations.find((x) => x.language === language) ??
    translations.find((x) => x.language === 'en') ??
    translations[0]
  );
}

const ARTICLE_PATH =
  /^\/knowledge\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The address of an article that a message carries: this hub's own, so it opens in the app. */
export function articleUrl(origin: string, articleId: string): string {
  return `${origin}/knowledge/${articleId}`;
}

/** A message's text cut into its words and the links to articles of this hub (`origin`). */
export function articleLinks(
  text: string,
  origin: string,
): ({ text: string } | { articleId: string })[] {
  const parts: ({ text: string } | { articleId: string })[] = [];
  let rest = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    // A sentence's full stop or a closing bracket after the address is not part of it.
    const raw = m[0].replace(/[.,;:!?)]+$/, '');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const found = ARTICLE_PATH.exec(url.pathname);
    if (url.origin !== origin || !found || url.search || url.hash) continue;
    const end = m.index + raw.length;
    if (m.index > rest) parts.push({ text: text.slice(rest, m.index) });
    parts.push({ articleId: found[1]! });
    rest = end;
  }
  if (rest < text.length) parts.push({ text: text.slice(rest) });
  return parts;
}

/** Where an article's file is read, and shown in its text (the only image address kept). */
export function articleFileUrl(file: Pick<ArticleFile, 'articleId' | 'id'>): string {
  return `${path(file.articleId)}/files/${encodeURIComponent(file.id)}`;
}

/** The Markdown that shows an image, or links any other file, where it is inserted. */
export function fileMarkdown(file: Pick<ArticleFile, 'articleId' | 'id' | 'name' | 'mimeType'>) {
  const name = file.name.replace(/[[\]\\]/g, '');
  if (file.mimeType.startsWith('image/'))
    return `![${name.replace(/\.[a-z0-9]+$/i, '')}](${articleFileUrl(file)})`;
  return `[${name}](${articleFileUrl(file)})`;
}
