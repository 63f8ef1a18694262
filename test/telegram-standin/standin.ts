import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

/**
 * A stand-in for the Telegram Bot API's HTTP interface (https://core.telegram.org/bots/api),
 * for tests without internet: `sendMessage` records what the bot says; `getUpdates` hands out
 * the updates a test injects, honouring `offset` (confirmed updates are forgotten) and
 * `timeout` (long polling). Only the given token is accepted.
 *
 * Webhook mode ("setWebhook"): once a bot registered an HTTPS URL, injected updates are POSTed
 * there with `X-Telegram-Bot-Api-Secret-Token` instead, and getUpdates answers 409 as Telegram
 * does; `deleteWebhook` goes back to polling. `webhookCa` is the CA the test's hub certificate
 * comes from (Telegram checks certificates too).
 */
export interface SentMessage {
  chat_id: string | number;
  text: string;
}

export interface InjectedMessage {
  fromId: number;
  chatId: number;
  text: string;
  /** The sender's Telegram language (`from.language_code`), as their app is set. */
  languageCode?: string;
}

export interface WebhookDelivery {
  updateId: number;
  /** The HTTP status the bot answered with (0: no answer). */
  status: number;
}

export async function startTelegramStandin(
  token: string,
  options: { blockedChats?: string[]; webhookCa?: string } = {},
) {
  const sent: SentMessage[] = [];
  const webhookDeliveries: WebhookDelivery[] = [];
  let webhook: { url: string; secretToken: string | undefined } | undefined;
  const offsets: number[] = [];
  let queue: Record<string, unknown>[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 1;
  let wake: (() => void) | undefined;

  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function getUpdates(params: { offset?: number; timeout?: number }) {
    const offset = params.offset ?? 0;
    offsets.push(offset);
    // Bot API: "An update is considered confirmed as soon as getUpdates is called with an
    // offset higher than its update_id."
    queue = queue.filter((u) => (u.update_id as number) >= offset);
    if (!queue.length && (params.timeout ?? 0) > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, (params.timeout ?? 0) * 1000);
        wake = () => (clearTimeout(timer), resolve());
      });
      wake = undefined;
    }
    return queue.slice(0, 100);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!match || match[1] !== token)
        return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const params = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
      if (match[2] === 'sendMessage') {
        if (options.blockedChats?.includes(String(params.chat_id)))
          return reply(res, 403, {
            ok: false,
            error_code: 403,
            description: 'Forbidden: bot was blocked by the user',
          });
        sent.push({ chat_id: params.chat_id, text: params.text });
        return reply(res, 200, {
          ok: true,
          result: { message_id: nextMessageId++, chat: { id: params.chat_id }, text: params.text },
        });
      }
      if (match[2] === 'getUpdates') {
        if (webhook)
          return reply(res, 409, {
            ok: false,
            error_code: 409,
            description:
              "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          });
        void getUpdates(params).then((result) => reply(res, 200, { ok: true, result }));
        return;
      }
      if (match[2] === 'setWebhook') {
        const problem = webhookProblem(params);
        if (problem) return reply(res, 400, { ok: false, error_code: 400, description: problem });
        webhook = { url: params.url, secretToken: params.secret_token };
        return reply(res, 200, { ok: true, result: true, description: 'Webhook was set' });
      }
      if (match[2] === 'deleteWebhook') {
        webhook = undefined;
        return reply(res, 200, { ok: true, result: true, description: 'Webhook was deleted' });
      }
      if (match[2] === 'getWebhookInfo')
        return reply(res, 200, {
          ok: true,
          result: { url: webhook?.url ?? '', pending_update_count: queue.length },
        });
      reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    });
  });
  /** POSTs one update to the registered webhook as Telegram does; resolves with the status. */
  function post(update: Record<string, unknown>): Promise<number> {
    const { url, secretToken } = webhook!;
    const body = JSON.stringify(update);
    return new Promise((resolve) => {
      const req = (url.startsWith('https:') ? https : http).request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': secretToken } : {}),
        },
        ca: options.webhookCa,
        timeout: 30_000,
      });
      req.once('response', (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolve(0));
      req.end(body);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    /** Every offset the bot asked with, in order. */
    offsets,
    /** The webhook the bot registered, if any. */
    webhook: () => webhook,
    /** Every webhook POST, with the bot's answer, in order. */
    webhookDeliveries,
    /**
     * A text message from a user, as Telegram would deliver it to the bot: queued for
     * getUpdates, or POSTed to the webhook when one is set (its answer lands in
     * `webhookDeliveries`).
     */
    inject(m: InjectedMessage): number {
      const updateId = nextUpdateId++;
      const update = {
        update_id: updateId,
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          from: {
            id: m.fromId,
            is_bot: false,
            first_name: `user${m.fromId}`,
            ...(m.languageCode ? { language_code: m.languageCode } : {}),
          },
          chat: { id: m.chatId, type: m.chatId < 0 ? 'group' : 'private' },
          text: m.text,
        },
      };
      if (webhook) {
        void post(update).then((status) => webhookDeliveries.push({ updateId, status }));
        return updateId;
      }
      queue.push(update);
      wake?.();
      return updateId;
    },
    close() {
      wake?.();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Bot API setWebhook refusals, worded as Telegram words them. */
function webhookProblem(params: { url?: unknown; secret_token?: unknown }): string | undefined {
  if (typeof params.url !== 'string' || !params.url.startsWith('https://'))
    return 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook';
  const secret = params.secret_token;
  if (
    secret !== undefined &&
    !(typeof secret === 'string' && /^[A-Za-z0-9_-]{1,256}$/.test(secret))
  )
    return 'Bad Request: secret token contains unallowed characters';
  return undefined;
}
