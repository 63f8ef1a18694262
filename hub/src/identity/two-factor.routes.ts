import { Router } from '@koa/router';
import { z } from 'zod';
import type { TwoFactorService } from './two-factor.service.js';
import { clientOf, requireSessionLogin } from './auth.routes.js';
import { defineRoute } from '../http/define.js';
import { noBody } from '../http/schemas.js';
import { totpEnrolment, twoFactorStatus } from './identity.schemas.js';
import type { AppState } from '../http/request-state.js';

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

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: "The user's two-factor state",
      tags: ['auth'],
      responses: {
        200: { description: 'Enabled, and recovery codes left', schema: twoFactorStatus },
      },
    },
    async (ctx) => {
      ctx.body = await twoFactor.status(ctx.state.user.id);
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/enrol',
      summary: 'Starts TOTP enrolment',
      tags: ['auth'],
      body: noBody,
      responses: {
        200: {
          description: 'The secret, its otpauth:// URI and the same as a PNG data: URL',
          schema: totpEnrolment,
        },
      },
    },
    async (ctx) => {
      ctx.body = await twoFactor.begin(ctx.state.user);
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/confirm',
      summary: 'Confirms enrolment with a code from the authenticator',
      tags: ['auth'],
      body: codeBody,
      responses: {
        200: {
          description: 'Enabled; the recovery codes are shown this once',
          schema: z.object({ enabled: z.literal(true), recoveryCodes: z.array(z.string()) }),
        },
      },
    },
    async (ctx, read) => {
      const { code } = read.body();
      const recoveryCodes = await twoFactor.confirm(ctx.state.user, code, clientOf(ctx).ip);
      ctx.body = { enabled: true, recoveryCodes };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/disable',
      summary: 'Turns two-factor off, proven with a code or a recovery code',
      tags: ['auth'],
      body: proofBody,
      responses: { 204: { description: 'Disabled' } },
    },
    async (ctx, read) => {
      const proof = read.body();
      await twoFactor.disable(ctx.state.user, proof, clientOf(ctx).ip);
      ctx.status = 204;
    },
  );

  return router;
}
