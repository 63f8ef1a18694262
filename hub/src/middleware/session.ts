import type { Middleware } from 'koa';
import { apiError } from '../errors.js';
import type { AuthService, SessionUser } from '../services/auth.service.js';

export const SESSION_COOKIE = 'bw_session';

export interface AppState {
  user: SessionUser;
  token: string;
}

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
    ctx.state.user = user;
    ctx.state.token = token;
    await next();
  };
}
