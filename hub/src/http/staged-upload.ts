import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Context, Middleware } from 'koa';
import { apiError } from './errors.js';
import type { AppState } from './request-state.js';

export interface UploadLimits {
  /** Where bodies wait until the request is handled. */
  dir: string;
  /** Bound of a route that names none of its own (`rawBody.maxBytes`). */
  maxBytes: number;
  /** Uploads one user may be sending at once. */
  perUser: number;
}

/**
 * Receives the body of an upload (a route with a raw body, such as a ticket attachment) into a
 * file of its own before the rest of the request runs. The request's database transaction
 * (row-level security, db/request-scope.ts) begins only after the last byte has arrived, so a
 * client that sends slowly, or announces a megabyte and stops, holds no database connection
 * while it waits — only its own slot: each user may send `perUser` uploads at once (429 past
 * that). The size bound is enforced while reading. The handler reads `ctx.state.upload`; the
 * file is removed when the request ends.
 */
export function stagedUploads(
  limits: UploadLimits,
  uploadBound: (ctx: Context) => { maxBytes?: number } | undefined,
  /** Runs on the received file before the rest of the request (a malware scan); may throw. */
  inspect?: (ctx: Context, upload: { path: string; size: number }) => Promise<void>,
): Middleware<AppState> {
  const sending = new Map<string, number>();
  return async (ctx, next) => {
    const user = ctx.state.user as AppState['user'] | undefined;
    const route = user ? uploadBound(ctx) : undefined;
    if (!user || !route) return next();
    const maxBytes = route.maxBytes ?? limits.maxBytes;
    const tooLarge = () =>
      apiError(413, 'BW_ERR_ATTACHMENT_TOO_LARGE', `uploads may be at most ${maxBytes} bytes`, {
        field: 'content-length',
      });
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > maxBytes) throw tooLarge();
    const busy = sending.get(user.id) ?? 0;
    if (busy >= limits.perUser) {
      throw apiError(
        429,
        'BW_ERR_TOO_MANY_UPLOADS',
        `at most ${limits.perUser} uploads at once; wait for one to finish`,
        { retryAfterSeconds: 5 },
      );
    }
    sending.set(user.id, busy + 1);
    await fs.promises.mkdir(limits.dir, { recursive: true });
    const file = path.join(limits.dir, `upload-${randomBytes(12).toString('hex')}`);
    try {
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(size > maxBytes ? tooLarge() : null, chunk);
        },
      });
      try {
        await pipeline(ctx.req, meter, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      } catch (err) {
        // A refused upload leaves the rest of the body unread: drop it rather than buffer it.
        ctx.req.resume();
        throw err;
      } finally {
        const left = (sending.get(user.id) ?? 1) - 1;
        if (left > 0) sending.set(user.id, left);
        else sending.delete(user.id);
      }
      ctx.state.upload = { path: file, size };
      // Still before the request's transaction: a slow scanner holds no database connection.
      if (inspect) await inspect(ctx, ctx.state.upload);
      await next();
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  };
}
