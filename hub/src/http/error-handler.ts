import type { Middleware } from 'koa';
import { HttpError } from 'http-errors';
import type { Logger } from '../core/logger.js';

/**
 * The one error middleware and the one place that logs request failures. Clients get
 * `{ error: { code, message } }`; the message of an unexpected error is never exposed.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const http = err instanceof HttpError ? err : undefined;
      const status = http?.status ?? 500;
      const exposed = http?.expose === true;
      if (status >= 500) logger.error({ err, path: ctx.path }, 'request failed');
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
