import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { apiError } from '../errors.js';
import { SESSION_COOKIE, requireUser, type AppState } from '../middleware/session.js';
import { CSRF_COOKIE } from '../security/csrf.js';
import { isAdmin, type AuthService, type ClientInfo } from '../services/auth.service.js';
import { parseInput } from './validate.js';

const loginBody = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});
const mfaBody = z.union([
  z.strictObject({ ticket: z.string().min(1).max(100), code: z.string().min(1).max(20) }),
  z.strictObject({ ticket: z.string().min(1).max(100), recoveryCode: z.string().min(1).max(40) }),
]);
const ticketBody = z.strictObject({ ticket: z.string().min(1).max(100) });
const enrolConfirmBody = z.strictObject({
  ticket: z.string().min(1).max(100),
  code: z.string().min(1).max(20),
});
const sessionsQuery = z.object({ userId: z.uuid().optional() });

/** Login in one or two steps, logout, the current user, and the user's sessions. */
export function authRoutes(auth: AuthService, secureCookies: boolean): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth' });
  const startSession = (ctx: Context, s: { token: string; csrfToken: string }) => {
    const options = { sameSite: 'lax', secure: secureCookies, maxAge: 7 * 86400_000 } as const;
    ctx.cookies.set(SESSION_COOKIE, s.token, { ...options, httpOnly: true });
    // Readable by the page's script, which echoes it in X-CSRF-Token (security/csrf.ts).
    ctx.cookies.set(CSRF_COOKIE, s.csrfToken, { ...options, httpOnly: false });
  };

  router.post('/login', async (ctx) => {
    const { username, password } = parseInput(loginBody, ctx.request.body);
    const result = await withRetryAfter(ctx, auth.login(username, password, clientOf(ctx)));
    if (result.kind === 'mfa') ctx.body = { mfaRequired: true, ticket: result.ticket };
    else if (result.kind === 'enrol')
      ctx.body = { mfaEnrolmentRequired: true, ticket: result.ticket };
    else {
      startSession(ctx, result);
      ctx.body = {
        user: publicUser(result.user),
        token: result.token,
        csrfToken: result.csrfToken,
      };
    }
  });

  // Second step: `{ ticket, code }` or `{ ticket, recoveryCode }`.
  router.post('/login/mfa', async (ctx) => {
    const { ticket, ...proof } = parseInput(mfaBody, ctx.request.body);
    const s = await withRetryAfter(ctx, auth.completeMfa(ticket, proof, clientOf(ctx)));
    startSession(ctx, s);
    ctx.body = { user: publicUser(s.user), token: s.token, csrfToken: s.csrfToken };
  });

  // A role that requires 2FA, and a user without it: enrol before the first session.
  router.post('/login/enrol', async (ctx) => {
    const { ticket } = parseInput(ticketBody, ctx.request.body);
    ctx.body = await auth.beginRequiredEnrolment(ticket);
  });

  router.post('/login/enrol/confirm', async (ctx) => {
    const { ticket, code } = parseInput(enrolConfirmBody, ctx.request.body);
    const s = await auth.confirmRequiredEnrolment(ticket, code, clientOf(ctx));
    startSession(ctx, s);
    ctx.body = {
      user: publicUser(s.user),
      token: s.token,
      csrfToken: s.csrfToken,
      recoveryCodes: s.recoveryCodes,
    };
  });

  router.post('/logout', requireUser(auth), async (ctx) => {
    await auth.logout(ctx.state.user, ctx.state.token, clientOf(ctx));
    ctx.cookies.set(SESSION_COOKIE, null);
    ctx.cookies.set(CSRF_COOKIE, null);
    ctx.status = 204;
  });

  router.get('/me', requireUser(auth), (ctx) => {
    ctx.body = { user: publicUser(ctx.state.user) };
  });

  // Own sessions; an admin may name another user's.
  router.get('/sessions', requireUser(auth), async (ctx) => {
    requireSessionLogin(ctx);
    const { userId } = parseInput(sessionsQuery, ctx.query);
    const me = ctx.state.user;
    const target = userId && isAdmin(me) ? userId : me.id;
    ctx.body = { items: await auth.listSessions(target, ctx.state.token) };
  });

  // Every session of mine except this one.
  router.delete('/sessions', requireUser(auth), async (ctx) => {
    requireSessionLogin(ctx);
    const ended = await auth.revokeOtherSessions(ctx.state.user, ctx.state.token, clientOf(ctx));
    ctx.body = { ended };
  });

  router.delete('/sessions/:id', requireUser(auth), async (ctx) => {
    requireSessionLogin(ctx);
    const { id } = parseInput(z.object({ id: z.uuid() }), ctx.params);
    await auth.revokeSession(ctx.state.user, id, clientOf(ctx));
    ctx.status = 204;
  });

  return router;
}

/**
 * Managing sessions, 2FA and tokens needs a person's session: an API token (whose user has
 * `scopes`) could otherwise outlive its own revocation or lock its owner out.
 */
export function requireSessionLogin(ctx: { state: AppState }): void {
  if (ctx.state.user.scopes) {
    throw apiError(403, 'BW_ERR_FORBIDDEN', 'this needs a login session, not an API token');
  }
}

export const clientOf = (ctx: Context): ClientInfo => ({
  ip: ctx.ip || null,
  userAgent: ctx.get('user-agent') || null,
});

/** RFC 9110 §10.2.3: 429 and 423 answers say when to come back. */
async function withRetryAfter<T>(ctx: Context, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const seconds = (err as { details?: { retryAfterSeconds?: number } }).details
      ?.retryAfterSeconds;
    if (seconds !== undefined) ctx.set('Retry-After', String(seconds));
    throw err;
  }
}

const publicUser = (u: AppState['user']) => ({ id: u.id, username: u.username, role: u.role });
