import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { SESSION_COOKIE } from './session.middleware.js';
import { CSRF_COOKIE } from './csrf.js';
import type { AuthService, ClientInfo, SsoSessionInfo } from './auth.service.js';
import { defineRoute } from '../http/define.js';
import { itemsOf, noBody } from '../http/schemas.js';
import {
  loginAnswer,
  me as meAnswer,
  session,
  sessionRow,
  totpEnrolment,
} from './identity.schemas.js';
import { parseInput } from '../http/validate.js';
import type { AppState } from '../http/request-state.js';

const loginBody = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
  /** An LDAP provider of the tenant's login page; else the e-mail domain typed decides. */
  providerId: z.uuid().optional(),
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
const passwordChange = z.strictObject({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().min(8).max(1000),
});
const sessionsQuery = z.object({ userId: z.uuid().optional() });
const idParams = z.object({ id: z.uuid() });

/** Login in one or two steps, logout, the current user, and the user's sessions. */
// The session guard in app.ts covers every route here but the login steps (PUBLIC_API).
export function authRoutes(
  auth: AuthService,
  secureCookies: boolean,
  /** The provider's logout address for a session that came through one (identity/sso/). */
  providerLogout?: (sso: SsoSessionInfo, ctx: Context) => Promise<string | null>,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth' });
  const startSession = (ctx: Context, s: { token: string; csrfToken: string }) =>
    setSessionCookies(ctx, s, secureCookies);

  defineRoute(
    router,
    {
      method: 'post',
      path: '/login',
      summary: 'Logs in; a second factor, when needed, is a second step',
      tags: ['auth'],
      public: true,
      body: loginBody,
      responses: {
        200: {
          description: 'A session, or a ticket for the second step (mfa or required enrolment)',
          schema: loginAnswer,
        },
      },
    },
    async (ctx, read) => {
      const { username, password, providerId } = read.body();
      const result = await withRetryAfter(
        ctx,
        auth.login(username, password, clientOf(ctx), providerId),
      );
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
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/login/mfa',
      summary: 'Second login step: `{ ticket, code }` or `{ ticket, recoveryCode }`',
      tags: ['auth'],
      public: true,
      body: mfaBody,
      responses: { 200: { description: 'The session', schema: session } },
    },
    async (ctx, read) => {
      const { ticket, ...proof } = read.body();
      const s = await withRetryAfter(ctx, auth.completeMfa(ticket, proof, clientOf(ctx)));
      startSession(ctx, s);
      ctx.body = { user: publicUser(s.user), token: s.token, csrfToken: s.csrfToken };
    },
  );

  // A role that requires 2FA, and a user without it: enrol before the first session.
  defineRoute(
    router,
    {
      method: 'post',
      path: '/login/enrol',
      summary: 'Starts the TOTP enrolment a role requires before the first session',
      tags: ['auth'],
      public: true,
      body: ticketBody,
      responses: { 200: { description: 'The TOTP secret to confirm', schema: totpEnrolment } },
    },
    async (ctx, read) => {
      const { ticket } = read.body();
      ctx.body = await auth.beginRequiredEnrolment(ticket);
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/login/enrol/confirm',
      summary: 'Confirms the required enrolment with a code and starts the session',
      tags: ['auth'],
      public: true,
      body: enrolConfirmBody,
      responses: {
        200: {
          description: 'The session and the recovery codes (shown once)',
          schema: session.extend({ recoveryCodes: z.array(z.string()) }),
        },
      },
    },
    async (ctx, read) => {
      const { ticket, code } = read.body();
      const s = await auth.confirmRequiredEnrolment(ticket, code, clientOf(ctx));
      startSession(ctx, s);
      ctx.body = {
        user: publicUser(s.user),
        token: s.token,
        csrfToken: s.csrfToken,
        recoveryCodes: s.recoveryCodes,
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/logout',
      summary: 'Ends this session',
      tags: ['auth'],
      body: noBody,
      responses: {
        200: {
          description:
            'Logged out of a session that came through an identity provider: its logout address, where the page sends the person next',
          schema: z.object({ logoutUrl: z.string() }),
        },
        204: { description: 'Logged out; the cookies are cleared' },
      },
    },
    async (ctx) => {
      const sso = await auth.logout(ctx.state.user, ctx.state.token, clientOf(ctx));
      ctx.cookies.set(SESSION_COOKIE, null);
      ctx.cookies.set(CSRF_COOKIE, null);
      const logoutUrl = sso && providerLogout ? await providerLogout(sso, ctx) : null;
      if (logoutUrl) ctx.body = { logoutUrl };
      else ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/me',
      summary: 'The logged-in user and what they may do',
      tags: ['auth'],
      responses: {
        200: { description: 'The user with their effective permissions', schema: meAnswer },
      },
    },
    (ctx) => {
      // The permission check (identity/access.ts) has put the user's access in the state.
      const permissions = [...ctx.state.access.permissions].sort();
      ctx.body = { user: { ...publicUser(ctx.state.user), permissions } };
    },
  );

  // Own sessions; an admin may name another user's.
  defineRoute(
    router,
    {
      method: 'get',
      path: '/sessions',
      summary:
        "The user's sessions (an admin may name another user: a tenant's admin one of their tenant)",
      tags: ['auth'],
      query: sessionsQuery,
      responses: { 200: { description: 'The sessions', schema: itemsOf(sessionRow) } },
    },
    async (ctx, read) => {
      requireSessionLogin(ctx);
      const { userId } = read.query();
      const me = ctx.state.user;
      // An admin of every tenant, or a tenant's admin (users.manage) for their own people.
      const manages = ctx.state.access.permissions.has('users.manage');
      const target = userId && (await auth.manages(me, userId, manages)) ? userId : me.id;
      ctx.body = { items: await auth.listSessions(target, ctx.state.token) };
    },
  );

  // Every session of mine except this one.
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/sessions',
      summary: "Ends every session of the user's but this one",
      tags: ['auth'],
      responses: {
        200: {
          description: 'How many sessions ended',
          schema: z.object({ ended: z.number().int() }),
        },
      },
    },
    async (ctx) => {
      requireSessionLogin(ctx);
      const ended = await auth.revokeOtherSessions(ctx.state.user, ctx.state.token, clientOf(ctx));
      ctx.body = { ended };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/sessions/:id',
      summary: 'Ends one session',
      tags: ['auth'],
      params: idParams,
      responses: { 204: { description: 'Ended' } },
    },
    async (ctx) => {
      requireSessionLogin(ctx);
      const { id } = parseInput(idParams, ctx.params);
      const manages = ctx.state.access.permissions.has('users.manage');
      await auth.revokeSession(ctx.state.user, id, clientOf(ctx), manages);
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/password',
      summary: 'Changes your own password; every other session and every API token of yours ends',
      tags: ['auth'],
      body: passwordChange,
      responses: {
        204: { description: 'Changed' },
        400: { description: 'currentPassword is not your password, or newPassword too short' },
      },
    },
    async (ctx, read) => {
      requireSessionLogin(ctx);
      await withRetryAfter(
        ctx,
        auth.changePassword(ctx.state.user, ctx.state.token, read.body(), clientOf(ctx)),
      );
      ctx.status = 204;
    },
  );

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

/** The session's cookies: the token (httpOnly) and the CSRF token the page echoes. */
export function setSessionCookies(
  ctx: Context,
  s: { token: string; csrfToken: string },
  secureCookies: boolean,
): void {
  // Secure when the request came over https: to the hub itself, or to a trusted proxy that
  // says so in X-Forwarded-Proto (http/trusted-proxy.ts).
  const secure = secureCookies || ctx.secure;
  const options = { sameSite: 'lax', secure, maxAge: 7 * 86400_000 } as const;
  ctx.cookies.set(SESSION_COOKIE, s.token, { ...options, httpOnly: true });
  // Readable by the page's script, which echoes it in X-CSRF-Token (identity/csrf.ts).
  ctx.cookies.set(CSRF_COOKIE, s.csrfToken, { ...options, httpOnly: false });
}

export const clientOf = (ctx: Context): ClientInfo => ({
  ip: ctx.ip || null,
  userAgent: ctx.get('user-agent') || null,
});

/** RFC 9110 §10.2.3: 429 answers say when to come back. */
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
