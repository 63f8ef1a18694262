import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';

/**
 * Serves the built single-page app; any other GET that wants HTML gets index.html so that
 * client-side routes survive a reload.
 */
export function webApp(webDir: string): Middleware {
  const index = path.join(webDir, 'index.html');
  const assets = serve(webDir, { index: false, maxage: 0 });
  return async (ctx, next) => {
    await assets(ctx, async () => undefined);
    if (ctx.body !== undefined || ctx.method !== 'GET' || !ctx.accepts('html')) return next();
    if (!existsSync(index)) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = 'The web UI is not built. Run: pnpm --filter @branchwatch/web build';
      return;
    }
    ctx.type = 'html';
    ctx.body = await fs.readFile(index);
  };
}
