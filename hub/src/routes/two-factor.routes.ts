import { Router } from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import type { TwoFactorService } from '../services/two-factor.service.js';
import { clientOf, requireSessionLogin } from './auth.routes.js';
import { parseInput } from './validate.js';

const codeBody = z.strictObject({ code: z.string().min(1).max(20) });
const proofBody = z.union([
  z.strictObject({ code: z.string().min(1).max(20) }),
  z.strictObject({ recoveryCode: z.string().min(1).max(40) }),
]);

/** The logged-in user's own TOTP two-factor authentication (RFC 6238). */
export function twoFactorRoutes(twoFactor: TwoFactorService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth/2fa' });
  router.use((ctx, next) => {
    requireSessionLogin(ctx);
    return next();
  });

  router.get('/', async (ctx) => {
    ctx.body = await twoFactor.status(ctx.state.user.id);
  });

  // `{ secret, uri, qrCode }`: the otpauth:// URI and the same as a PNG data: URL.
  router.post('/enrol', async (ctx) => {
    ctx.body = await twoFactor.begin(ctx.state.user);
  });

  router.post('/confirm', async (ctx) => {
    const { code } = parseInput(codeBody, ctx.request.body);
    const recoveryCodes = await twoFactor.confirm(ctx.state.user, code, clientOf(ctx).ip);
    ctx.body = { enabled: true, recoveryCodes };
  });

  router.post('/disable', async (ctx) => {
    const proof = parseInput(proofBody, ctx.request.body);
    await twoFactor.disable(ctx.state.user, proof, clientOf(ctx).ip);
    ctx.status = 204;
  });

  return router;
}
