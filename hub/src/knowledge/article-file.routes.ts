import { Router, type RouterContext } from '@koa/router';
import { z } from 'zod';
import { defineRoute } from '../http/define.js';
import { pathId } from '../http/path-id.js';
import { fileContent, itemsOf } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import { sendAttachment, stagedFile } from '../helpdesk/ticket.routes.js';
import { readerOf } from './article.service.js';
import type { ArticleFileService } from './article-file.service.js';
import type { ArticleFileRow } from './article-file.repository.js';
import { articleFile } from './article.schemas.js';

const tags = ['knowledge'];
const idParams = z.object({ id: z.uuid() });
const fileParams = z.object({ id: z.uuid(), fileId: z.uuid() });
const fileQuery = z.strictObject({ name: z.string().trim().min(1).max(255) });

const reader = (ctx: RouterContext<AppState>) => readerOf(ctx.state.user, ctx.state.access);
const ids = (ctx: RouterContext<AppState>) => ({
  article: pathId(ctx.params.id, 'article'),
  file: pathId(ctx.params.fileId, 'file'),
});
const view = (f: ArticleFileRow) => ({
  id: f.id,
  articleId: f.articleId,
  name: f.name,
  mimeType: f.mimeType,
  size: f.size,
  createdAt: f.createdAt,
});

/**
 * An article's files and images (docs/knowledge-base.md "Files and images"): uploaded as a
 * ticket attachment is (the raw body is the file, scanned before the handler runs), read by
 * whoever may read the article, and shown in its text at
 * `/api/v1/knowledge/articles/{id}/files/{fileId}` (the only image address the sanitiser keeps).
 */
export function articleFileRoutes(s: ArticleFileService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/knowledge' });

  defineRoute(
    router,
    {
      method: 'put',
      path: '/articles/:id/files',
      summary: 'Adds a file or an image to an article: the raw request body is the file',
      tags,
      params: idParams,
      query: fileQuery,
      rawBody: {
        contentType: 'application/octet-stream',
        description:
          'The file; its Content-Type is stored as its type. The same bound and types as ticket attachments',
        malwareScan: true,
      },
      responses: { 201: { description: 'The stored file', schema: articleFile } },
    },
    async (ctx, read) => {
      const file = stagedFile(ctx, read.query().name);
      const row = await s.attach(
        pathId(ctx.params.id, 'article'),
        ctx.state.user,
        reader(ctx),
        file,
      );
      ctx.status = 201;
      ctx.body = view(row);
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/articles/:id/files',
      summary: "An article's files, oldest first",
      tags,
      params: idParams,
      responses: { 200: { description: 'Its files', schema: itemsOf(articleFile) } },
    },
    async (ctx) => {
      ctx.body = { items: (await s.list(pathId(ctx.params.id, 'article'), reader(ctx))).map(view) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/articles/:id/files/:fileId',
      summary: "One of an article's files, to whoever may read the article",
      tags,
      params: fileParams,
      responses: {
        200: {
          description: 'The file, with the type it was uploaded with',
          contentType: 'application/octet-stream',
          schema: fileContent,
        },
      },
    },
    async (ctx) => {
      const { article, file } = ids(ctx);
      const found = await s.download(article, file, reader(ctx));
      sendAttachment(ctx, found.file, found.content);
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/articles/:id/files/:fileId',
      summary:
        'Removes a file no current text shows (409 BW_ERR_FILE_IN_USE naming the languages that still show it)',
      tags,
      params: fileParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      const { article, file } = ids(ctx);
      await s.remove(article, file, ctx.state.user, reader(ctx));
      ctx.status = 204;
    },
  );
  return router;
}
