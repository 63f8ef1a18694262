import { z } from 'zod';
import { positiveInt } from './shared.js';
import { networkList } from './server.js';

/** Notification retries and the channels: SMTP, Telegram, InfluxDB export, IMAP mail-in. */
export const notifyKeys = {
  // Notifications (docs/notifications.md) — added by the notify feature.
  BW_NOTIFY_MAX_ATTEMPTS: positiveInt
    .max(100)
    .default(8)
    .describe('Delivery attempts before a notification becomes a dead letter.'),
  BW_NOTIFY_RETRY_BASE_MS: positiveInt
    .max(3_600_000)
    .default(30_000)
    .describe('First retry delay, milliseconds; doubles per attempt, with jitter.'),
  BW_NOTIFY_RETRY_MAX_MS: positiveInt
    .max(86_400_000)
    .default(3_600_000)
    .describe('Longest retry delay, milliseconds.'),
  BW_NOTIFY_SEND_TIMEOUT_MS: positiveInt
    .max(300_000)
    .default(15_000)
    .describe('Deadline of one delivery attempt (HTTP request, SMTP session), milliseconds.'),
  BW_NOTIFY_POLL_MS: positiveInt
    .max(3_600_000)
    .default(5_000)
    .describe('How often the outbox looks for due retries, milliseconds.'),
  BW_NOTIFY_DIGEST_HOUR: z.coerce
    .number()
    .int()
    .min(0)
    .max(23)
    .default(7)
    .describe(
      "Hour of the day the daily digest is sent: in each user's own time zone, and UTC for subscriptions.",
    ),
  BW_WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .optional()
    .transform((value, ctx) => networkList(value ?? '', ctx))
    .describe(
      'Loopback, link-local and private addresses or CIDR blocks webhooks may be delivered to (e.g. `10.20.0.0/16` for an in-house ticket system); every other such destination is refused, checked on the address a name resolves to. Default: none.',
    ),
  BW_NOTIFY_WEB_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Public base URL of the web UI (e.g. `https://noc.example.com`); notifications link to `<url>/tickets/<id>` (the Teams card's button); no links when unset.",
    ),
  BW_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe(
      'Mail server for email notifications, e.g. `smtp://user:password@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465`; email is off when unset.',
    ),
  BW_SMTP_FROM: z
    .string()
    .min(3)
    .default('Branchwatch <branchwatch@localhost>')
    .describe('From address of notification mails.'),
  BW_TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF…')
    .optional()
    .describe('Token of the Telegram bot (from @BotFather); Telegram is off when unset.'),
  BW_TELEGRAM_API_URL: z
    .url()
    .default('https://api.telegram.org')
    .describe('Base URL of the Telegram Bot API (a local Bot API server, or a test stand-in).'),
  BW_TELEGRAM_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(50)
    .default(25)
    .describe('Long-poll timeout of getUpdates for bot commands; 0 turns the bot commands off.'),
  BW_TELEGRAM_WEBHOOK_URL: z
    .url({
      protocol: /^https$/,
      error: 'must be an https:// URL (Telegram calls webhooks over HTTPS only)',
    })
    .optional()
    .describe(
      "Public HTTPS URL at which Telegram reaches this hub's `/api/v1/telegram/webhook`; when set, the hub registers it with setWebhook at start and does not poll.",
    ),
  BW_TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional()
    .describe(
      'secret_token Telegram sends with every webhook update; default: derived from the bot token, so every hub process agrees on it.',
    ),
  BW_INFLUX_URL: z
    .url()
    .optional()
    .describe('InfluxDB (or compatible) URL to export every result to; export is off when unset.'),
  BW_INFLUX_TOKEN: z.string().default('').describe('InfluxDB API token.'),
  BW_INFLUX_ORG: z.string().default('branchwatch').describe('InfluxDB organisation.'),
  BW_INFLUX_BUCKET: z.string().min(1).default('branchwatch').describe('InfluxDB bucket.'),
  BW_INFLUX_FLUSH_MS: positiveInt
    .max(600_000)
    .default(5_000)
    .describe('Longest time a result waits in the export batch, milliseconds.'),
  BW_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\//, 'must be an imap:// or imaps:// URL')
    .optional()
    .describe(
      'Mailbox that mail to ticket polls, e.g. `imaps://support%40example.com:password@mail.example.com`; off when unset.',
    ),
  BW_IMAP_MAILBOX: z.string().min(1).default('INBOX').describe('Folder polled for new mail.'),
  BW_IMAP_POLL_SECONDS: positiveInt
    .max(86400)
    .default(60)
    .describe('Seconds between polls of the mailbox.'),
  BW_IMAP_TICKET_USER: z
    .string()
    .min(1)
    .default('admin')
    .describe(
      'Hub user that mail from senders without a hub account is filed as; its tenant gets the tickets.',
    ),
};

type NotifySettings = z.infer<z.ZodObject<typeof notifyKeys>>;

export interface NotifyConfig {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sendTimeoutMs: number;
  pollMs: number;
  digestHour: number;
  /** Base URL of the web UI for links to tickets, without a trailing slash. */
  webUrl: string | undefined;
  /** Private destinations webhooks may reach (notify/webhook/destination-guard.ts). */
  webhookAllowedNetworks: string[];
  smtp: { url: string; from: string } | undefined;
  telegram:
    | {
        token: string;
        apiUrl: string;
        pollSeconds: number;
        /** Webhook mode instead of long polling (docs/notifications.md "Telegram"). */
        webhook: { url: string; secret: string | undefined } | undefined;
      }
    | undefined;
  influx: { url: string; token: string; org: string; bucket: string; flushMs: number } | undefined;
  imap: { url: string; mailbox: string; pollSeconds: number; ticketUser: string } | undefined;
}

export function notifyConfig(c: NotifySettings): NotifyConfig {
  return {
    maxAttempts: c.BW_NOTIFY_MAX_ATTEMPTS,
    baseDelayMs: c.BW_NOTIFY_RETRY_BASE_MS,
    maxDelayMs: c.BW_NOTIFY_RETRY_MAX_MS,
    sendTimeoutMs: c.BW_NOTIFY_SEND_TIMEOUT_MS,
    pollMs: c.BW_NOTIFY_POLL_MS,
    digestHour: c.BW_NOTIFY_DIGEST_HOUR,
    webUrl: c.BW_NOTIFY_WEB_URL?.replace(/\/+$/, ''),
    webhookAllowedNetworks: c.BW_WEBHOOK_ALLOWED_NETWORKS,
    smtp: c.BW_SMTP_URL ? { url: c.BW_SMTP_URL, from: c.BW_SMTP_FROM } : undefined,
    telegram: c.BW_TELEGRAM_BOT_TOKEN
      ? {
          token: c.BW_TELEGRAM_BOT_TOKEN,
          apiUrl: c.BW_TELEGRAM_API_URL.replace(/\/$/, ''),
          pollSeconds: c.BW_TELEGRAM_POLL_SECONDS,
          webhook: c.BW_TELEGRAM_WEBHOOK_URL
            ? { url: c.BW_TELEGRAM_WEBHOOK_URL, secret: c.BW_TELEGRAM_WEBHOOK_SECRET }
            : undefined,
        }
      : undefined,
    influx: c.BW_INFLUX_URL
      ? {
          url: c.BW_INFLUX_URL,
          token: c.BW_INFLUX_TOKEN,
          org: c.BW_INFLUX_ORG,
          bucket: c.BW_INFLUX_BUCKET,
          flushMs: c.BW_INFLUX_FLUSH_MS,
        }
      : undefined,
    imap: c.BW_IMAP_URL
      ? {
          url: c.BW_IMAP_URL,
          mailbox: c.BW_IMAP_MAILBOX,
          pollSeconds: c.BW_IMAP_POLL_SECONDS,
          ticketUser: c.BW_IMAP_TICKET_USER,
        }
      : undefined,
  };
}
