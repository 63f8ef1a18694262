import { createHmac, timingSafeEqual } from 'node:crypto';
import { apiError } from '../../http/errors.js';
import type { Logger } from '../../core/logger.js';
import type { BotApi, TelegramUpdate } from './bot-api.js';

/** Bot API "setWebhook": every update Telegram POSTs carries the secret_token in this header. */
export const TELEGRAM_SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

const RETRY_REGISTER_MS = 60_000;
// Telegram resends an update it got no 2xx for; remembering recent ids makes that harmless.
const REMEMBERED_UPDATES = 1000;

/**
 * The default secret_token: derived from the bot token, so that every hub process (and every
 * restart) registers and expects the same one without storing it anywhere. Hex fits the
 * allowed characters (A-Z, a-z, 0-9, _ and -, 1-256 of them).
 */
export function webhookSecret(botToken: string): string {
  return createHmac('sha256', botToken).update('branchwatch telegram webhook').digest('hex');
}

/**
 * Webhook mode of the bot (https://core.telegram.org/bots/api#setwebhook): registers the
 * public URL with setWebhook at start (retrying while Telegram refuses, e.g. while the URL is
 * not reachable yet) and hands each update whose secret header matches to the bot's commands.
 */
export class TelegramWebhook {
  private readonly abort = new AbortController();
  private readonly seen = new Set<number>();
  private registering: Promise<void> | undefined;

  constructor(
    private readonly api: BotApi,
    private readonly url: string,
    private readonly secret: string,
    private readonly handle: (update: TelegramUpdate) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.registering = this.register();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.registering;
  }

  /**
   * Carries out an update Telegram delivered; 401 unless it carries our secret. The update is
   * read (validated) only after that.
   */
  async receive(secretHeader: string | undefined, read: () => TelegramUpdate): Promise<void> {
    if (!this.authentic(secretHeader))
      throw apiError(401, 'BW_ERR_UNAUTHENTICATED', `${TELEGRAM_SECRET_HEADER}: missing or wrong`);
    const update = read();
    if (this.seen.has(update.update_id)) return;
    this.seen.add(update.update_id);
    if (this.seen.size > REMEMBERED_UPDATES) this.seen.delete(this.seen.values().next().value!);
    await this.handle(update);
  }

  private authentic(header: string | undefined): boolean {
    const given = Buffer.from(header ?? '');
    const expected = Buffer.from(this.secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async register(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.api.setWebhook(this.url, this.secret, this.abort.signal);
        this.logger.info({ url: this.url }, 'Telegram webhook registered');
        return;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.logger.warn({ err, url: this.url }, 'Telegram setWebhook failed; retrying in 60 s');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RETRY_REGISTER_MS);
          this.abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {
            once: true,
          });
        });
      }
    }
  }
}
