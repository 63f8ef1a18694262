import { Router, type RouterContext } from '@koa/router';
import { z } from 'zod';
import { ARTICLE_AUDIENCES, ARTICLE_STATES, LANGUAGES } from '@branchwatch/api';
import { defineRoute } from '../http/define.js';
import { apiError, notFound } from '../http/errors.js';
import { pathId } from '../http/path-id.js';
import { itemsOf } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import type { ArticleService } from './article.service.js';
import { readerOf } from './article.service.js';
import type { SearchHit } from './article.repository.js';
import {
  article,
  articleSummary,
  highlights,
  replyText,
  report,
  searchHit,
  version,
} from './article.schemas.js';

const language = z.enum(LANGUAGES);
const word = z.string().trim().min(1).max(100);
// Check types, check roles (wan) and `agent` (agent offline): what runbooks are linked to.
const link = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{1,40}$/, 'letters, digits, - and _ only');
const fingerprint = z.string().trim().min(1).max(300);
const meta = {
  category: z.string().trim().max(100),
  tags: z.array(word).max(30),
  audience: z.enum(ARTICLE_AUDIENCES),
  state: z.enum(ARTICLE_STATES),
  checkTypes: z.array(link).max(30),
  fingerprints: z.array(fingerprint).max(30),
};
const text = {
  title: z.string().trim().min(1).max(300),
  body: z.string().max(200_000),
};
const newArticle = z.strictObject({
  tenantId: z.uuid().nullable().optional(),
  category: meta.category.default(''),
  tags: meta.tags.default([]),
  audience: meta.audience.default('internal'),
  state: meta.state.default('draft'),
  checkTypes: meta.checkTypes.default([]),
  fingerprints: meta.fingerprints.default([]),
  translations: z
    .array(z.strictObject({ language, ...text }))
    .min(1)
    .max(3)
    .refine((ts) => new Set(ts.map((t) => t.language)).size === ts.length, {
      message: 'one translation per language',
    }),
});
const patch = z.strictObject(meta).partial();
const listQuery = z.strictObject({
  state: z.enum(ARTICLE_STATES).optional(),
  category: z.string().trim().min(1).max(100).optional().describe('Only this category'),
  uncategorised: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: only the articles without a category (not with `category`)'),
});
const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(300),
  language: language.default('en'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
const versionsQuery = z.strictObject({ language });
const idParams = z.object({ id: z.uuid() });
const translationParams = z.object({ id: z.uuid(), language });
const tags = ['knowledge'];

const reader = (ctx: RouterContext<AppState>) => readerOf(ctx.state.user, ctx.state.access);
const articleId = (ctx: RouterContext<AppState>) => pathId(ctx.params.id, 'article');

/** Replying with articles is for people who write replies (the route's permission) and read them. */
function requireKnowledge(ctx: RouterContext<AppState>) {
  if (!ctx.state.access.permissions.has('knowledge.read'))
    throw apiError(
      403,
      'BW_ERR_FORBIDDEN',
      'reading the knowledge base is not among your permissions',
    );
}

const hitView = (h: SearchHit) => ({
  id: h.article.id,
  category: h.article.category,
  tags: h.article.tags,
  audience: h.article.audience,
  state: h.article.state,
  language: h.language,
  title: h.title,
  rank: h.rank,
  titleMarks: h.titleMarks,
  excerpt: h.excerpt,
});

/**
 * The knowledge base (docs/knowledge-base.md). Who may call each route is the route table's
 * (identity/route-permissions.ts); which articles exist for the caller (state, audience,
 * tenant) is the service's and row-level security's.
 */
export function knowledgeRoutes(s: ArticleService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/knowledge' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/articles',
      summary: 'The articles the caller may read (editors: drafts and archive too)',
      tags,
      query: listQuery,
      responses: { 200: { description: 'Newest change first', schema: itemsOf(articleSummary) } },
    },
    async (ctx, read) => {
      const { uncategorised, ...filter } = read.query();
      if (uncategorised === 'true' && filter.category !== undefined)
        throw apiError(
          400,
          'BW_ERR_VALIDATION',
          'uncategorised: the articles without a category have no category to name as well',
          { field: 'uncategorised' },
        );
      ctx.body = {
        items: await s.list(reader(ctx), { ...filter, uncategorised: uncategorised === 'true' }),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/articles',
      summary: 'Writes an article with one or more translations',
      tags,
      body: newArticle,
      responses: { 201: { description: 'Created', schema: article } },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.status = 201;
      ctx.body = await s.create(ctx.state.user, reader(ctx), input);
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/articles/:id',
      summary: 'An article with its translations',
      tags,
      params: idParams,
      responses: { 200: { description: 'The article', schema: article } },
    },
    async (ctx) => {
      ctx.body = await s.get(articleId(ctx), reader(ctx));
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/articles/:id',
      summary: "Changes an article's category, tags, audience, state or runbook links",
      tags,
      params: idParams,
      body: patch,
      responses: { 200: { description: 'The article', schema: article } },
    },
    async (ctx, read) => {
      const id = articleId(ctx);
      ctx.body = await s.update(id, ctx.state.user, reader(ctx), read.body());
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/articles/:id',
      summary: 'Deletes an article and its history (archiving is usually what is wanted)',
      tags,
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx) => {
      await s.remove(articleId(ctx), ctx.state.user, reader(ctx));
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/articles/:id/translations/:language',
      summary: "Saves one language's title and Markdown as its next version",
      tags,
      params: translationParams,
      body: z.strictObject(text),
      responses: { 200: { description: 'The article', schema: article } },
    },
    async (ctx, read) => {
      const id = articleId(ctx);
      const lang = language.safeParse(ctx.params.language);
      if (!lang.success)
        throw notFound(
          'BW_ERR_NOT_FOUND',
          `language ${ctx.params.language} is not one of en, fa, fr`,
        );
      const input = read.body();
      ctx.body = await s.saveTranslation(id, ctx.state.user, reader(ctx), {
        language: lang.data,
        ...input,
      });
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/articles/:id/versions',
      summary: "A translation's versions, newest first, each with its diff to the one before",
      tags,
      params: idParams,
      query: versionsQuery,
      responses: { 200: { description: 'The versions', schema: itemsOf(version) } },
    },
    async (ctx, read) => {
      const id = articleId(ctx);
      ctx.body = { items: await s.versions(id, reader(ctx), read.query().language) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/articles/:id/rollback',
      summary: "Restores an earlier version of a translation's text as its newest version",
      tags,
      params: idParams,
      body: z.strictObject({ language, version: z.number().int().min(1) }),
      responses: { 200: { description: 'The article', schema: article } },
    },
    async (ctx, read) => {
      const id = articleId(ctx);
      const { language: lang, version: v } = read.body();
      ctx.body = await s.rollback(id, ctx.state.user, reader(ctx), lang, v);
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/articles/:id/deflections',
      summary: '"This solved my problem": counts the article as a ticket not filed',
      tags,
      params: idParams,
      body: z.strictObject({ query: z.string().max(300).default('') }),
      responses: { 204: { description: 'Counted' } },
    },
    async (ctx, read) => {
      const id = articleId(ctx);
      await s.deflect(id, ctx.state.user, reader(ctx), read.body().query);
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/search',
      summary: 'Searches the articles the caller may read, ranked, with highlights',
      tags,
      query: searchQuery,
      responses: { 200: { description: 'Best first', schema: itemsOf(searchHit) } },
    },
    async (ctx, read) => {
      const q = read.query();
      const hits = await s.search(ctx.state.user, reader(ctx), q.q, q.language, q.limit);
      ctx.body = { items: hits.map(hitView) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/suggestions',
      summary: "Articles for a ticket's subject while it is typed (any of its words)",
      tags,
      query: searchQuery,
      responses: { 200: { description: 'Best first', schema: itemsOf(searchHit) } },
    },
    async (ctx, read) => {
      const q = read.query();
      const hits = await s.suggest(reader(ctx), q.q, q.language, Math.min(q.limit, 8));
      ctx.body = { items: hits.map(hitView) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/highlights',
      summary: 'The most helpful and the newest published articles the caller may read',
      tags,
      query: versionsQuery,
      responses: { 200: { description: 'Most helpful, then newest', schema: highlights } },
    },
    async (ctx, read) => {
      ctx.body = await s.highlights(reader(ctx), read.query().language);
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/preview',
      summary: 'Markdown as the hub will store and show it (sanitised HTML)',
      tags,
      body: z.strictObject({ markdown: text.body }),
      responses: { 200: { description: 'The HTML', schema: z.object({ html: z.string() }) } },
    },
    (ctx, read) => {
      ctx.body = { html: s.preview(read.body().markdown) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/report',
      summary: 'Searches that found nothing, and the articles that solved problems',
      tags,
      query: z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      responses: { 200: { description: 'The report', schema: report } },
    },
    async (ctx, read) => {
      ctx.body = await s.report(read.query().days);
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets/:id/runbooks',
      summary: "Articles linked to an alert ticket's check type, check role or fingerprint",
      tags,
      params: idParams,
      responses: { 200: { description: 'The runbooks', schema: itemsOf(articleSummary) } },
    },
    async (ctx) => {
      const id = pathId(ctx.params.id, 'ticket');
      ctx.body = { items: await s.runbooks(id, ctx.state.user, reader(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets/:id/articles',
      summary: "Articles the ticket's requester may read, for an agent's reply (search)",
      tags,
      params: idParams,
      query: searchQuery,
      responses: { 200: { description: 'Best first', schema: itemsOf(searchHit) } },
    },
    async (ctx, read) => {
      const id = pathId(ctx.params.id, 'ticket');
      requireKnowledge(ctx);
      const q = read.query();
      const hits = await s.forReply(id, ctx.state.user, q.q, q.language, Math.min(q.limit, 10));
      ctx.body = { items: hits.map(hitView) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/tickets/:id/articles/:articleId',
      summary: "An article as plain text for a reply, if the ticket's requester may read it",
      tags,
      params: z.object({ id: z.uuid(), articleId: z.uuid() }),
      query: versionsQuery,
      responses: { 200: { description: 'Title and text', schema: replyText } },
    },
    async (ctx, read) => {
      const id = pathId(ctx.params.id, 'ticket');
      const articleId = pathId(ctx.params.articleId, 'article');
      requireKnowledge(ctx);
      ctx.body = await s.replyText(id, articleId, ctx.state.user, read.query().language);
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/tickets/:id/draft',
      summary: "Starts a draft article from a resolved ticket, the people's personal data left out",
      tags,
      params: idParams,
      body: z.strictObject({ language: language.default('en') }),
      responses: { 201: { description: 'The draft', schema: article } },
    },
    async (ctx, read) => {
      const id = pathId(ctx.params.id, 'ticket');
      const { language: lang } = read.body();
      ctx.status = 201;
      ctx.body = await s.draftFromTicket(id, ctx.state.user, reader(ctx), lang);
    },
  );
  return router;
}
