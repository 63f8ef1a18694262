import type { Middleware } from 'koa';
import { apiError } from '../http/errors.js';
import { CSRF_HEADER, assertCsrf } from './csrf.js';
import type { AppState } from '../http/request-state.js';
import type { AuthService } from './auth.service.js';

export const SESSION_COOKIE = 'bw_session';

/** The session token from the cookie, or from `Authorization: Bearer` for API clients. */
export function tokenOf(ctx: {
  get(name: string): string;
  cookies: { get(name: string): string | undefined };
}) {
  const header = ctx.get('authorization');
  if (header.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return ctx.cookies.get(SESSION_COOKIE);
}

/** Every route behind this answers 401 without a valid session or token. */
export function requireUser(auth: AuthService): Middleware<AppState> {
  return async (ctx, next) => {
    const token = tokenOf(ctx);
    const user = token ? await auth.authenticate(token) : undefined;
    if (!user || !token) throw apiError(401, 'BW_ERR_UNAUTHENTICATED', 'log in first');
    // Identity: a cookie is sent by the browser on its own, so unsafe requests that
    // rely on it must prove they come from our page (identity/csrf.ts); Bearer ones need not.
    if (!ctx.get('authorization').toLowerCase().startsWith('bearer ')) {
      assertCsrf(ctx, token, ctx.get(CSRF_HEADER));
    }
    ctx.state.user = user;
    ctx.state.token = token;
    await next();
  };
}
