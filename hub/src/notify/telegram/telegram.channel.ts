import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';
import { TelegramApiError, type BotApi } from './bot-api.js';

/** Sends notifications to a user's or group's chat through the bot. */
export class TelegramChannel implements NotificationChannel {
  readonly type = 'telegram';

  constructor(private readonly api: BotApi) {}

  async send(message: OutboundMessage, signal: AbortSignal): Promise<DeliveryResult> {
    try {
      const sent = await this.api.sendMessage(
        message.address,
        `${message.subject}\n\n${message.text}`.slice(0, 4096),
        signal,
      );
      return { ok: true, detail: `message ${sent.message_id}` };
    } catch (err) {
      // 400/403: wrong chat or the bot was blocked; retrying cannot help. 429 and 5xx can.
      const status = err instanceof TelegramApiError ? err.status : 0;
      return {
        ok: false,
        error: (err as Error).message,
        retry: !(status === 400 || status === 403),
      };
    }
  }
}
