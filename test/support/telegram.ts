import type { startTelegramStandin } from '../telegram-standin/standin.js';
import { waitFor } from './http.js';

type Standin = Awaited<ReturnType<typeof startTelegramStandin>>;

/**
 * Links a Telegram account to the user `api` is logged in as, as a person does: asks the hub
 * for a one-time code, sends `/link CODE` to the bot from that account's private chat, and
 * waits for the bot's answer, which it returns.
 */
export async function linkTelegram(
  api: { post<T>(path: string, body: unknown): Promise<T> },
  bot: Standin,
  telegramUserId: number,
) {
  const { link } = await api.post<{ link: { code: string; command: string } }>(
    '/api/v1/notify/telegram/link',
    {},
  );
  return ask(bot, telegramUserId, link.command);
}

/**
 * Sends `text` to the bot from a Telegram user (in their private chat, unless `chatId` names
 * a group), whose Telegram app is set to `languageCode` if given; returns the answer.
 */
export async function ask(
  bot: Standin,
  telegramUserId: number,
  text: string,
  chatId = telegramUserId,
  languageCode?: string,
) {
  const before = bot.sent.length;
  bot.inject({ fromId: telegramUserId, chatId, text, languageCode });
  const answer = await waitFor(`the bot's answer to ${text}`, async () =>
    bot.sent.slice(before).find((m) => String(m.chat_id) === String(chatId)),
  );
  return answer.text;
}
