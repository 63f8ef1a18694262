import http from 'node:http';
import type net from 'node:net';

/**
 * A stand-in for the Telegram Bot API's HTTP interface (https://core.telegram.org/bots/api),
 * for tests without internet: `sendMessage` records what the bot says; `getUpdates` hands out
 * the updates a test injects, honouring `offset` (confirmed updates are forgotten) and
 * `timeout` (long polling). Only the given token is accepted.
 */
export interface SentMessage {
  chat_id: string | number;
  text: string;
}

export interface InjectedMessage {
  fromId: number;
  chatId: number;
  text: string;
}

export async function startTelegramStandin(
  token: string,
  options: { blockedChats?: string[] } = {},
) {
  const sent: SentMessage[] = [];
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
        void getUpdates(params).then((result) => reply(res, 200, { ok: true, result }));
        return;
      }
      reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    /** Every offset the bot asked with, in order. */
    offsets,
    /** Queues a text message from a user, as Telegram would deliver it to the bot. */
    inject(m: InjectedMessage): number {
      const updateId = nextUpdateId++;
      queue.push({
        update_id: updateId,
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          from: { id: m.fromId, is_bot: false, first_name: `user${m.fromId}` },
          chat: { id: m.chatId, type: m.chatId < 0 ? 'group' : 'private' },
          text: m.text,
        },
      });
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
