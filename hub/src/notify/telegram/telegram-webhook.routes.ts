import { Router } from '@koa/router';
import { z } from 'zod';
import type { NotifyService } from '../notify.service.js';
import { TELEGRAM_SECRET_HEADER } from './telegram-webhook.js';
import { defineRoute } from '../../http/define.js';
import type { AppState } from '../../http/request-state.js';

// Bot API "Update" and "Message": only what the bot commands read; Telegram adds more fields.
const update = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: z
    .looseObject({
      message_id: z.number().int(),
      from: z
        .looseObject({
          id: z.number().int(),
          username: z.string().optional(),
          language_code: z.string().optional(),
        })
        .optional(),
      chat: z.looseObject({ id: z.number().int(), type: z.string() }),
      text: z.string().optional(),
    })
    .optional(),
});

/**
 * Telegram's webhook (docs/notifications.md "Telegram"): public, because Telegram has no
 * session; it authenticates by the secret_token the hub registered with setWebhook, which
 * Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (https://core.telegram.org/bots/api#setwebhook).
 */
export function telegramWebhookRoutes(notify: NotifyService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  defineRoute(
    router,
    {
      method: 'post',
      path: '/telegram/webhook',
      summary: 'An update from Telegram (bot commands in webhook mode)',
      tags: ['notify'],
      public: true,
      body: update,
      responses: {
        204: { description: 'Taken (a command answers in the chat)' },
        401: { description: `${TELEGRAM_SECRET_HEADER} missing or wrong` },
        404: { description: 'Webhook mode is not configured' },
      },
    },
    async (ctx, input) => {
      // The secret is checked before the body is looked at.
      await notify.telegramUpdate(ctx.get(TELEGRAM_SECRET_HEADER) || undefined, () => input.body());
      ctx.status = 204;
    },
  );
  return router;
}
