import type { Context, Middleware } from 'koa';
import { HttpError } from 'http-errors';
import type { Logger } from '../core/logger.js';
import { apiError } from './errors.js';

/** SQLSTATE classes and codes of a database that is away: connection errors and shutdowns. */
const AWAY_STATES = /^(08|57P0[1-3])/;
const AWAY_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * A 503 for an error that says the database is away (stopped, restarting, unreachable) rather
 * than that the request is wrong: the client may retry, the hub is not broken.
 */
function databaseUnavailable(err: unknown): Error | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  const away =
    AWAY_STATES.test(code) ||
    AWAY_ERRNO.has(code) ||
    /Connection terminated|Knex: Timeout acquiring a connection/.test(message);
  if (!away) return undefined;
  return apiError(503, 'BW_ERR_DATABASE_UNAVAILABLE', 'the database is unavailable; try again');
}

/**
 * The one error middleware and the one place that logs request failures. Clients get
 * `{ error: { code, message } }`; the message of an unexpected error is never exposed.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (caught) {
      const err = databaseUnavailable(caught) ?? caught;
      const http = err instanceof HttpError ? err : undefined;
      const status = http?.status ?? 500;
      const exposed = http?.expose === true;
      if (status >= 500 && err === caught) logger.error({ err, path: ctx.path }, 'request failed');
      if (err !== caught) {
        logger.warn({ err: caught, path: ctx.path }, 'database unavailable');
        ctx.set('retry-after', '5');
      }
      const retryAfter = (http as { details?: { retryAfterSeconds?: unknown } } | undefined)
        ?.details?.retryAfterSeconds;
      if (exposed && typeof retryAfter === 'number') ctx.set('retry-after', String(retryAfter));
      ctx.status = status;
      ctx.body = {
        error: {
          code: (http as { code?: string } | undefined)?.code ?? 'BW_ERR_INTERNAL',
          message: exposed ? http!.message : 'internal error',
          ...(exposed && 'details' in http! ? { details: http.details } : {}),
        },
      };
    }
  };
}

/** How a response's stream ends when the client hung up before its last byte. */
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/**
 * Koa's 'error' event: what fails after the middleware returned, while a streamed body (a
 * download, an export) is written. A browser that drops a download halfway is normal — the
 * stream is destroyed by the pipeline, closing its file or its chunk reads — and is logged at
 * debug with the route; anything else is an error. Without a listener Koa writes the stack to
 * stderr.
 */
export function responseErrorListener(logger: Logger) {
  // Koa reports a hang-up both from the body's pipeline and from the response's end: once.
  const gone = new WeakSet<Context>();
  return (err: unknown, ctx?: Context) => {
    const code = (err as { code?: unknown } | null)?.code;
    const route = ctx
      ? `${ctx.method} ${(ctx as { _matchedRoute?: unknown })._matchedRoute ?? ctx.path}`
      : undefined;
    if (
      ctx &&
      typeof code === 'string' &&
      CLIENT_GONE.has(code) &&
      ctx.res.writableFinished !== true
    ) {
      if (gone.has(ctx)) return;
      gone.add(ctx);
      logger.debug({ route, code }, 'the client closed the connection before the answer ended');
    } else logger.error({ err, route }, 'answer failed while being sent');
  };
}
