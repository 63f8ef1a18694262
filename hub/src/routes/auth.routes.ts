import { Router } from '@koa/router';
import { z } from 'zod';
import { SESSION_COOKIE, requireUser, type AppState } from '../middleware/session.js';
import type { AuthService } from '../services/auth.service.js';
import { parseInput } from './validate.js';

const loginBody = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});

export function authRoutes(auth: AuthService, secureCookies: boolean): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth' });

  router.post('/login', async (ctx) => {
    const { username, password } = parseInput(loginBody, ctx.request.body);
    const { user, token } = await auth.login(username, password);
    ctx.cookies.set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: 7 * 86400_000,
    });
    ctx.body = { user: publicUser(user), token };
  });

  router.post('/logout', requireUser(auth), async (ctx) => {
    await auth.logout(ctx.state.token);
    ctx.cookies.set(SESSION_COOKIE, null);
    ctx.status = 204;
  });

  router.get('/me', requireUser(auth), (ctx) => {
    ctx.body = { user: publicUser(ctx.state.user) };
  });

  return router;
}

const publicUser = (u: AppState['user']) => ({ id: u.id, username: u.username, role: u.role });
