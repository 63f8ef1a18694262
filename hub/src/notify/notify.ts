import { BrandReader } from '../identity/branding/branding.service.js';
import { BrandingRepository } from '../identity/branding/branding.repository.js';
import type { NotifyConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { HubMetrics } from '../core/metrics.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { AttachmentScanner } from '../helpdesk/malware/attachment-scanner.js';
import type { TicketConversationService } from '../helpdesk/ticket-conversation.service.js';
import type { TicketService } from '../helpdesk/ticket.service.js';
import type { RouteAccess } from '../identity/access.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import { ChannelRegistry } from './channel.js';
import { ChannelTester } from './channel-test.js';
import { DailyDigest } from './digest.js';
import { NotifyDispatcher } from './dispatcher.js';
import { EmailChannel } from './email/email.channel.js';
import { InfluxExporter } from './influx/influx-export.js';
import { MailTicketRepository } from './mail-in/mail-ticket.repository.js';
import { MailToTicket } from './mail-in/mail-to-ticket.js';
import { NotifyRepository } from './notify.repository.js';
import { NotifyService } from './notify.service.js';
import { InboxRepository } from './inbox.repository.js';
import { NotifySourceRepository } from './notify-source.repository.js';
import { OutboxWorker } from './outbox.js';
import { BotApi } from './telegram/bot-api.js';
import { TelegramBot } from './telegram/telegram-bot.js';
import type { ArticleService } from '../knowledge/article.service.js';
import { TelegramChannel } from './telegram/telegram.channel.js';
import { TelegramWebhook, webhookSecret } from './telegram/telegram-webhook.js';
import { WebhookChannel } from './webhook/webhook.channel.js';
import { DestinationGuard } from './webhook/destination-guard.js';
import type { SecretBox } from '../identity/secret-box.js';
import { PushChannel } from './push/push.channel.js';
import { PushRepository } from './push/push.repository.js';
import { PushService } from './push/push.service.js';
import { VapidKeyStore } from './push/vapid.js';

/**
 * Builds notifications (docs/notifications.md): the channels that are configured, the
 * dispatcher listening to hub events, the outbox worker, the Telegram bot and the InfluxDB
 * export, so that the composition root needs few lines for them.
 */
export function createNotify(deps: {
  /** The request-scoped db (API calls run under row-level security through it). */
  db: Database;
  /** The pool: background work (outbox, dispatch, bot) runs across tenants. */
  rootDb: Database;
  /**
   * The API requests' pool, outside any request's transaction: /metrics reads the outbox's
   * counts through it, so that a scrape is answered while the hub's own pool is busy.
   */
  apiDb: Database;
  events: EventBus;
  config: NotifyConfig;
  metrics: HubMetrics;
  logger: Logger;
  ingest: IngestService;
  tickets: TicketService;
  conversation: TicketConversationService;
  /** Mail-in scans attachments before filing them. */
  scanner: AttachmentScanner;
  /** Bot commands act as their user through the route they do the work of. */
  routes: RouteAccess;
  /** `/kb words` searches the knowledge base as the linked user. */
  knowledge?: ArticleService;
  audit?: AuditService;
  /** Seals the hub's VAPID private key (push). */
  secrets: SecretBox;
}) {
  const { config, metrics } = deps;
  const logger = deps.logger.child({ component: 'notify' });
  const repo = new NotifyRepository(deps.rootDb);
  const source = new NotifySourceRepository(deps.rootDb);
  const channels = new ChannelRegistry();
  const destinations = new DestinationGuard(config.webhookAllowedNetworks);
  channels.register(new WebhookChannel(destinations));
  const email = config.smtp
    ? new EmailChannel(config.smtp.url, config.smtp.from, config.sendTimeoutMs)
    : undefined;
  if (email) channels.register(email);
  const botApi = config.telegram
    ? new BotApi(config.telegram.apiUrl, config.telegram.token)
    : undefined;
  if (botApi) channels.register(new TelegramChannel(botApi));
  // Web push is always there: the browsers' push services are reached like webhooks.
  const pushRepo = new PushRepository(deps.rootDb);
  const vapid = new VapidKeyStore(pushRepo, deps.secrets);
  channels.register(new PushChannel(pushRepo, vapid, destinations, vapidSubject(config)));
  for (const channel of channels.types())
    for (const outcome of ['sent', 'failed', 'dead'])
      metrics.notifyDeliveries.inc({ channel, outcome }, 0);
  const counts = new NotifyRepository(deps.apiDb);
  metrics.watchOutbox(() => counts.counts(null));

  const outbox = new OutboxWorker(repo, channels, metrics, config, logger);
  const dispatcher = new NotifyDispatcher(
    repo,
    source,
    () => channels.types(),
    () => outbox.kick(),
    deps.db,
    logger,
    config.webUrl,
    new InboxRepository(deps.rootDb),
    async (userId) => (await pushRepo.ofUser(userId)).map((s) => s.id),
    new BrandReader(new BrandingRepository(deps.rootDb)),
  );
  dispatcher.listen(deps.events);
  const clocksOf = async (ticketId: string, now: Date) =>
    (await deps.tickets.get(ticketId, null, now)).clocks;
  const digest = new DailyDigest(
    { prefs: repo, source, dispatcher, clocksOf },
    config.digestHour,
    logger,
  );
  const telegram = botApi && config.telegram;
  const bot =
    telegram && (telegram.pollSeconds > 0 || telegram.webhook)
      ? new TelegramBot(
          botApi,
          telegram.pollSeconds,
          { prefs: repo, ...deps },
          logger,
          config.webUrl,
        )
      : undefined;
  // Webhook mode: Telegram POSTs updates to the hub instead of the hub polling for them.
  const webhook =
    bot && telegram && telegram.webhook
      ? new TelegramWebhook(
          botApi,
          telegram.webhook.url,
          telegram.webhook.secret ?? webhookSecret(telegram.token),
          (update) => bot.handle(update),
          logger,
        )
      : undefined;
  const influx = config.influx ? new InfluxExporter(config.influx, metrics, logger) : undefined;
  influx?.observe(deps.ingest);
  const mailIn = config.imap
    ? new MailToTicket(
        { ...config.imap, ownAddress: config.smtp && addressOf(config.smtp.from) },
        { mail: new MailTicketRepository(deps.rootDb), source, ...deps },
        logger,
      )
    : undefined;

  return {
    service: new NotifyService(
      new NotifyRepository(deps.db),
      () => outbox.kick(),
      bot !== undefined,
      webhook,
      new ChannelTester(channels, config.sendTimeoutMs),
      destinations,
    ),
    dispatcher,
    /** A person's browsers subscribed to push, through the request's scope. */
    push: new PushService(new PushRepository(deps.db), vapid, destinations),
    /** For automation's notify and webhook actions (the pool's repository; they run in the background). */
    repo,
    destinations,
    digest,
    influx,
    mailIn,
    start() {
      outbox.start();
      digest.start();
      if (webhook) webhook.start();
      else bot?.start();
      mailIn?.start();
    },
    async stop() {
      digest.stop();
      await webhook?.stop();
      await bot?.stop();
      await mailIn?.stop();
      await dispatcher.idle();
      await outbox.stop();
      email?.close();
      await influx?.close();
    },
  };
}

/**
 * RFC 8292 §2.1: the `sub` claim tells a push service how to reach the hub's operator — the
 * notification mail's sender when mail is set up, else the web UI's https address, else an
 * address that says which software sent it.
 */
function vapidSubject(config: NotifyConfig): string {
  if (config.smtp) return `mailto:${addressOf(config.smtp.from)}`;
  if (config.webUrl?.startsWith('https://')) return config.webUrl;
  return 'mailto:branchwatch@invalid';
}

/** `Name <a@b>` → `a@b`. */
function addressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}
