import { randomBytes } from 'node:crypto';
import { apiError, notFound } from '../http/errors.js';
import type { ChannelTester, TestOutcome } from './channel-test.js';
import { subscriptionRefusal, type DestinationGuard } from './webhook/destination-guard.js';
import type { Delivery, NotifyRepository, Preferences, Subscription } from './notify.repository.js';
import type { TelegramUpdate } from './telegram/bot-api.js';
import type { TelegramWebhook } from './telegram/telegram-webhook.js';
import { hashLinkCode, LINK_CODE_MINUTES, newLinkCode } from './telegram/link-code.js';
import type { SessionUser } from '../http/request-state.js';
import { TestThrottle } from './test-throttle.js';

export type NewSubscription = Pick<
  Subscription,
  'channel' | 'address' | 'format' | 'language' | 'events'
> & {
  /** Webhooks: given, or generated and shown once. */
  secret?: string | null;
  tenantId?: string | null;
};

/** What the API and UI see of a delivery: never the webhook secret. */
const shown = (d: Delivery) => {
  const { secret: _secret, ...message } = d.message;
  return { ...d, message };
};
const withoutSecret = ({ secret, ...s }: Subscription) => ({ ...s, signed: secret !== null });

/** Subscriptions, preferences and the delivery log with resend (docs/notifications.md). */
export class NotifyService {
  readonly #tests = new TestThrottle();

  constructor(
    private readonly repo: NotifyRepository,
    private readonly kick: () => void,
    /** Whether a Telegram bot is configured (BW_TELEGRAM_BOT_TOKEN). */
    private readonly telegramEnabled: boolean,
    /** Set in Telegram webhook mode (BW_TELEGRAM_WEBHOOK_URL). */
    private readonly telegramWebhook?: TelegramWebhook,
    /** Sends a subscription's test message through its real channel. */
    private readonly tester?: ChannelTester,
    /** Where webhooks may go (BW_WEBHOOK_ALLOWED_NETWORKS), checked when one is subscribed. */
    private readonly destinations?: DestinationGuard,
  ) {}

  async subscriptions(user: SessionUser) {
    return (await this.repo.listSubscriptions(user.tenantId)).map(withoutSecret);
  }

  async subscribe(user: SessionUser, input: NewSubscription) {
    const tenantId = user.tenantId ?? input.tenantId ?? null;
    if (!tenantId && user.role !== 'admin') {
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: required', { field: 'tenantId' });
    }
    if (input.channel === 'webhook' && this.destinations) {
      const refused = await subscriptionRefusal(this.destinations, input.address);
      if (refused)
        throw apiError(400, 'BW_ERR_VALIDATION', `address: ${refused}`, {
          field: 'address',
          reason: 'private_destination',
          destination: /^refused: (\S+) is/.exec(refused)?.[1] ?? null,
        });
    }
    const secret =
      input.channel === 'webhook' ? (input.secret ?? randomBytes(24).toString('hex')) : null;
    const created = await this.repo.createSubscription({ ...input, tenantId, secret });
    // The secret is shown once, like a password: receivers need it to verify signatures.
    return { ...withoutSecret(created), secret };
  }

  /** One test message through the subscription's channel, now; whether it arrived, or why not. */
  async testSubscription(user: SessionUser, id: string): Promise<TestOutcome> {
    const found = await this.repo.subscription(id, user.tenantId);
    if (!found) throw notFound('BW_ERR_NOT_FOUND', `subscription ${id} does not exist`);
    if (!this.tester) throw notFound('BW_ERR_NOT_FOUND', 'channel tests are not available');
    this.#tests.take(user.id, id);
    return this.tester.send(found);
  }

  async unsubscribe(user: SessionUser, id: string) {
    if (!(await this.repo.removeSubscription(id, user.tenantId)))
      throw notFound('BW_ERR_NOT_FOUND', `subscription ${id} does not exist`);
  }

  /** `stored`: false while the user has saved none (the UI then keeps its own language). */
  async preferences(user: SessionUser): Promise<Preferences & { stored: boolean }> {
    const [found] = await this.repo.preferences([user.id]);
    if (found) return { ...found, stored: true };
    return {
      stored: false,
      userId: user.id,
      language: 'en',
      email: null,
      telegramChatId: null,
      telegramUserId: null,
      channels: [],
      events: [],
      quietStart: null,
      quietEnd: null,
      timeZone: 'UTC',
    };
  }

  /** What a person may type; the Telegram account is linked by proof (`telegramLinkCode`). */
  async savePreferences(
    user: SessionUser,
    input: Omit<Preferences, 'userId' | 'telegramChatId' | 'telegramUserId'>,
  ) {
    if (input.channels.includes('telegram')) {
      const [current] = await this.repo.preferences([user.id]);
      if (!current?.telegramChatId)
        throw apiError(400, 'BW_ERR_VALIDATION', 'channels: link a Telegram account first', {
          field: 'channels',
        });
    }
    return this.repo.savePreferences({ ...input, userId: user.id });
  }

  /**
   * A one-time code the person sends to the bot from their Telegram account (`/link CODE`),
   * which proves the account is theirs; replaces an earlier code.
   */
  async telegramLinkCode(user: SessionUser, now = new Date()) {
    if (!this.telegramEnabled)
      throw notFound('BW_ERR_NOT_FOUND', 'Telegram is not configured on this hub');
    const code = newLinkCode();
    const expiresAt = new Date(now.getTime() + LINK_CODE_MINUTES * 60_000);
    await this.repo.createTelegramLinkCode(user.id, hashLinkCode(code), expiresAt);
    return { code, command: `/link ${code}`, expiresAt };
  }

  async unlinkTelegram(user: SessionUser) {
    if (!(await this.repo.unlinkTelegram(user.id)))
      throw notFound('BW_ERR_NOT_FOUND', 'no Telegram account is linked');
  }

  async deliveries(user: SessionUser, status: string | undefined, limit: number, channel?: string) {
    return (await this.repo.log({ tenantId: user.tenantId, status, channel, limit })).map((d) => ({
      ...shown(d),
      attachments: d.attachments,
    }));
  }

  /** One file of a delivery (a scheduled report's PDF, say), as it was attached. */
  async deliveryAttachment(user: SessionUser, id: string, index: number) {
    const file = await this.repo.attachment(id, index, user.tenantId);
    if (!file) throw notFound('BW_ERR_NOT_FOUND', `delivery ${id} has no file ${index}`);
    return {
      filename: file.filename,
      contentType: file.contentType,
      body: Buffer.from(file.base64, 'base64'),
    };
  }

  /** Per channel: pending, retrying (failed at least once), sent and dead letters. */
  async deliveryCounts(user: SessionUser) {
    const byChannel = (await this.repo.counts(user.tenantId)).map(
      ({ oldestWaitingAt: _, ...counts }) => counts,
    );
    const dead = byChannel.reduce((sum, c) => sum + c.dead, 0);
    return { dead, byChannel };
  }

  /** An update Telegram POSTed to the webhook (notify/telegram/telegram-webhook.routes.ts). */
  async telegramUpdate(secretHeader: string | undefined, update: () => TelegramUpdate) {
    if (!this.telegramWebhook)
      throw notFound('BW_ERR_NOT_FOUND', 'the Telegram webhook is not configured');
    await this.telegramWebhook.receive(secretHeader, update);
  }

  async resend(user: SessionUser, id: string) {
    if (!(await this.repo.resend(id, user.tenantId)))
      throw notFound('BW_ERR_NOT_FOUND', `delivery ${id} does not exist`);
    this.kick();
  }
}
