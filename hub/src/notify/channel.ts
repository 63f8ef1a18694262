/**
 * One interface for every sender (like blackbox_exporter's `Probers` map): a channel
 * only delivers a rendered message; the outbox owns retries, backoff and dead letters.
 */
import {
  LANGUAGES,
  type ChannelType,
  type Language,
  type NotifyEvent,
  type WebhookFormat,
} from '@branchwatch/api';

export {
  LANGUAGES,
  NOTIFY_CHANNELS,
  NOTIFY_EVENTS,
  type ChannelType,
  type Language,
  type NotifyEvent,
} from '@branchwatch/api';

/** What a channel is asked to deliver; stored as the outbox row's `message`. */
export interface OutboundMessage {
  /**
   * `notify.test`: an admin's test of the channel (channel-test.ts); `automation.rule`: a rule's
   * notify or webhook action. Neither is subscribed to.
   */
  event: NotifyEvent | 'notify.test' | 'automation.rule' | 'report.scheduled';
  /** URL, mail address or Telegram chat id. */
  address: string;
  language: Language;
  subject: string;
  text: string;
  /** The event's facts, for webhook bodies (ticket number, branch, ...). */
  data: Record<string, unknown>;
  /** Webhooks only. */
  format?: WebhookFormat;
  secret?: string | null;
  /** Mail threading: the ticket's Message-ID root. */
  references?: string;
  /** The ticket's page in the web UI, when BW_NOTIFY_WEB_URL is set. */
  url?: string;
  /** The ticket's page as a path of the web UI, where a push notification's click leads. */
  path?: string;
  /**
   * Mail only: the tenant's branding (docs/branding.md) — the sender's name, a header in its
   * accent colour with its logo above the text.
   */
  brand?: { productName: string; accentColor: string; logo?: { type: string; base64: string } };
  /** Mail only: files sent with it (a scheduled report's PDF and Excel), base64 in the outbox. */
  attachments?: { filename: string; contentType: string; base64: string }[];
}

/** A stored language (a preference's, a subscription's) as one we write in; else English. */
export const languageOr = (stored: string): Language =>
  (LANGUAGES as readonly string[]).includes(stored) ? (stored as Language) : 'en';

export type DeliveryResult =
  | { ok: true; detail?: string }
  | {
      ok: false;
      error: string;
      /** false: retrying cannot help (e.g. HTTP 400). */ retry: boolean;
    };

export interface NotificationChannel {
  readonly type: ChannelType;
  send(message: OutboundMessage, signal: AbortSignal): Promise<DeliveryResult>;
}

export class ChannelRegistry {
  private readonly channels = new Map<ChannelType, NotificationChannel>();

  register(channel: NotificationChannel): void {
    this.channels.set(channel.type, channel);
  }

  get(type: string): NotificationChannel | undefined {
    return this.channels.get(type as ChannelType);
  }

  types(): ChannelType[] {
    return [...this.channels.keys()];
  }
}
