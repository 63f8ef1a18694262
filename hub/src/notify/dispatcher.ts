import type { Database } from '../db/database.js';
import type { CheckStateChange, EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import {
  languageOr as lang,
  type ChannelType,
  type Language,
  type NotifyEvent,
  type OutboundMessage,
} from './channel.js';
import type { NotifyRepository, Preferences, Subscription } from './notify.repository.js';
import type {
  NotifySourceRepository,
  TicketEventRow,
  TicketFacts,
} from './notify-source.repository.js';
import { inboxEntries } from './inbox.js';
import type { InboxRepository } from './inbox.repository.js';
import { quietUntil } from './quiet-hours.js';
import { render, type TemplateValues } from './templates.js';
import type { BrandReader } from '../identity/branding/branding.service.js';

/** A notification about to fan out to its recipients. */
export interface Notice {
  /** `automation.rule`: a rule's own message (automation/rule-messages.ts), never subscribed to. */
  event: NotifyEvent | 'automation.rule';
  /** Null only for a tenant-less admin's own digest. */
  tenantId: string | null;
  /** Identifies the source event, for the outbox's once-per-recipient key. */
  key: string;
  values: TemplateValues;
  /** Values written for the recipient's language (the digest's ticket lines). */
  localized?: (language: Language) => TemplateValues;
  /** Hub users concerned (ticket assignee, creator, watchers); others opt in by preference. */
  users?: string[];
  /** Words of their own instead of the event's template (a rule's message). */
  words?: (language: Language) => { subject: string; text: string };
  /** Not told about their own action. */
  actorId?: string | null;
  ticketId?: string;
}

// Only events this recent are announced: older ones were announced by an earlier change.
const TICKET_EVENT_WINDOW_MS = 5 * 60_000;

/**
 * Turns typed hub events into outbox rows: picks the recipients (tenant subscriptions and users
 * by preference), renders the template in each one's language and defers it past quiet hours.
 * Listeners return at once; the work runs after the emitting transaction and never fails it.
 */
export class NotifyDispatcher {
  private readonly pending = new Set<Promise<void>>();

  /** Where a new entry of the notification centre is told (live streams, `inbox.added`). */
  private events: EventBus | undefined;

  constructor(
    private readonly repo: NotifyRepository,
    private readonly source: NotifySourceRepository,
    private readonly channels: () => ChannelType[],
    private readonly enqueued: () => void,
    /** The request-scoped db; used only to learn when the emitter's transaction ends. */
    private readonly scopedDb: Database,
    private readonly logger: Logger,
    /** Base URL of the web UI, for links to a ticket's page (BW_NOTIFY_WEB_URL). */
    private readonly webUrl?: string,
    /** The in-app notification centre, written from the same ticket events. */
    private readonly inbox?: InboxRepository,
    /** The ids of a person's browser push subscriptions (push/push.repository.ts). */
    private readonly pushTargets: (userId: string) => Promise<string[]> = async () => [],
    /** The tenant's branding for mails (docs/branding.md). */
    private readonly brands?: BrandReader,
  ) {}

  listen(events: EventBus): void {
    this.events = events;
    events.on('ticket.changed', (e) => this.later(() => this.ticketChanged(e.ticketId, e.at)));
    events.on('agent.statusChanged', (e) => {
      if (!e.online) this.later(() => this.agentOffline(e.agentId, e.at));
    });
    events.on('check.stateChanged', (e) => this.later(() => this.checkChanged(e)));
  }

  /** Waits for the fan-outs under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /**
   * Runs `work` once the emitter's transaction has ended. Inside an API request `scopedDb` is
   * the request's transaction (db/request-scope.ts) and the event is emitted before its
   * commit: the work waits for the commit and then reads through the pool, never blocking
   * or failing the request.
   */
  private later(work: () => Promise<void>): void {
    const transaction = (this.scopedDb as { executionPromise?: Promise<unknown> }).executionPromise;
    const p = Promise.resolve(transaction)
      .catch(() => undefined)
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(work)
      .catch((err: unknown) => this.logger.error({ err }, 'notification dispatch failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async ticketChanged(ticketId: string, at: Date): Promise<void> {
    const ticket = await this.source.ticket(ticketId);
    if (!ticket) return;
    const since = new Date(at.getTime() - TICKET_EVENT_WINDOW_MS);
    for (const row of await this.source.takeTicketEvents(ticketId, since)) {
      // The centre first: it is always there, whatever channels the person has set up.
      const added =
        (await this.inbox?.add(ticketId, `ticket-event:${row.id}`, inboxEntries(ticket, row))) ??
        [];
      for (const userId of added)
        await this.events?.emit('inbox.added', { userId, tenantId: ticket.tenantId, at });
      const notice = await this.ticketNotice(ticket, row);
      if (notice) await this.fanOut(notice);
    }
  }

  private async ticketNotice(t: TicketFacts, row: TicketEventRow): Promise<Notice | undefined> {
    const event = ticketEvent(row);
    if (!event) return undefined;
    const assignee =
      event === 'ticket.assigned' && row.newValue
        ? ((await this.source.username(row.newValue)) ?? row.newValue)
        : t.assignee;
    const users = [t.assigneeId, t.createdBy, ...t.watchers].filter((u): u is string => !!u);
    if (event === 'ticket.assigned' && row.newValue) users.push(row.newValue);
    return {
      event,
      tenantId: t.tenantId,
      key: `ticket-event:${row.id}`,
      ticketId: t.id,
      users,
      actorId: row.authorId,
      values: {
        number: t.number,
        subject: t.subject,
        priority: t.priority,
        state: t.state,
        branch: t.branch,
        assignee,
        author: row.author ?? 'Branchwatch',
        body: row.kind === 'opened' || row.kind === 'reply' ? row.body : null,
        clock: str(row.data?.clock),
        level: str(row.data?.level),
      },
    };
  }

  async agentOffline(agentId: string, at: Date): Promise<void> {
    const agent = await this.source.agent(agentId);
    if (!agent) return;
    await this.fanOut({
      event: 'agent.offline',
      tenantId: agent.tenantId,
      key: `agent-offline:${agentId}:${at.toISOString()}`,
      values: { agent: agent.agent, branch: agent.branch, at: at.toISOString() },
    });
  }

  async checkChanged(e: CheckStateChange): Promise<void> {
    // A check's first verdict (unknown → ok: a new check, or one whose alert expired) recovers
    // from nothing: it is no news, and a fleet of new agents would send thousands of them.
    if (e.from === 'unknown' && e.to === 'ok') return;
    const check = await this.source.check(e.checkId);
    if (!check) return;
    await this.fanOut({
      event: e.to === 'failing' ? 'check.failing' : 'check.recovered',
      tenantId: e.tenantId,
      key: `check:${e.checkId}:${e.to}:${e.at.toISOString()}`,
      values: { ...check, at: (e.since ?? e.at).toISOString(), reason: e.reason },
    });
  }

  /** Enqueues one delivery per recipient and channel; returns how many were new. */
  async fanOut(notice: Notice, now = new Date()): Promise<number> {
    let added = await this.toSubscriptions(notice);
    for (const p of await this.userRecipients(notice)) added += await this.toUser(notice, p, now);
    if (added) this.enqueued();
    return added;
  }

  /** The tenant's subscriptions to the notice's event; returns how many deliveries were new. */
  async toSubscriptions(notice: Notice): Promise<number> {
    let added = 0;
    if (!notice.tenantId) return 0;
    for (const s of await this.repo.subscriptionsFor(notice.tenantId, notice.event)) {
      if (await this.toSubscription(notice, s)) added++;
    }
    return added;
  }

  /** One subscription, in its language and format; false when it was queued already. */
  async toSubscription(notice: Notice, s: Subscription): Promise<boolean> {
    return this.enqueue(notice, s.channel, s.address, lang(s.language), { subscription: s });
  }

  /**
   * One user on each of their channels, in their language, deferred past their quiet hours
   * as of `now`; returns how many deliveries were new.
   */
  async toUser(notice: Notice, p: Preferences, now = new Date()): Promise<number> {
    let added = 0;
    const notBefore = quietUntil(now, p.quietStart, p.quietEnd, p.timeZone);
    for (const channel of p.channels) {
      // Push: one delivery to each browser the person subscribed (none: nothing to send).
      const addresses =
        channel === 'push'
          ? await this.pushTargets(p.userId)
          : [channel === 'email' ? p.email : channel === 'telegram' ? p.telegramChatId : null];
      for (const address of addresses) {
        if (!address) continue;
        const via = { user: p, notBefore };
        if (await this.enqueue(notice, channel, address, lang(p.language), via)) added++;
      }
    }
    return added;
  }

  /** Whether `toUser` already queued the notice with this key for every channel of `p`. */
  async queuedFor(key: string, p: Preferences): Promise<boolean> {
    // Push is left out: browsers come and go, the digest is told by mail and Telegram.
    const keys = p.channels
      .filter((c) => c !== 'push')
      .map((c) => [c, c === 'email' ? p.email : c === 'telegram' ? p.telegramChatId : null])
      .filter(([c, address]) => address && this.channels().includes(c as ChannelType))
      .map(([c, address]) => `${key}:${c}:${address}`);
    return this.repo.allQueued(keys);
  }

  /** Tells the outbox that deliveries were added outside fanOut (the digest). */
  kick(): void {
    this.enqueued();
  }

  /** Concerned users who want this event, plus anyone in the tenant who asked for all of them. */
  private async userRecipients(notice: Notice): Promise<Preferences[]> {
    const concerned = (await this.repo.preferences([...new Set(notice.users ?? [])])).filter(
      (p) => p.events.length === 0 || p.events.includes(notice.event),
    );
    const optedIn = notice.tenantId
      ? await this.repo.preferencesFor(notice.tenantId, notice.event)
      : [];
    const byUser = new Map([...concerned, ...optedIn].map((p) => [p.userId, p]));
    if (notice.actorId) byUser.delete(notice.actorId);
    return [...byUser.values()];
  }

  private async mailBrand(tenantId: string | null): Promise<OutboundMessage['brand']> {
    const brand = await this.brands!.documentBrand(tenantId);
    return {
      productName: brand.productName,
      accentColor: brand.accentColor,
      ...(brand.logo
        ? { logo: { type: brand.logo.type, base64: brand.logo.content.toString('base64') } }
        : {}),
    };
  }

  private async enqueue(
    notice: Notice,
    channel: string,
    address: string,
    language: Language,
    via: { subscription?: Subscription; user?: Preferences; notBefore?: Date },
  ): Promise<boolean> {
    if (!this.channels().includes(channel as ChannelType)) return false;
    const values = { ...notice.values, ...notice.localized?.(language) };
    const { subject, text } =
      notice.words?.(language) ?? render(notice.event as NotifyEvent, language, values);
    const message: OutboundMessage = {
      event: notice.event,
      address,
      language,
      subject,
      text,
      data: { event: notice.event, ...values },
      format: via.subscription?.format,
      secret: via.subscription?.secret,
      references: notice.ticketId ? ticketMessageId(notice.ticketId) : undefined,
      ...(channel === 'email' && this.brands
        ? { brand: await this.mailBrand(notice.tenantId ?? null) }
        : {}),
      url:
        notice.ticketId && this.webUrl
          ? `${this.webUrl}/tickets/${encodeURIComponent(notice.ticketId)}`
          : undefined,
      path: notice.ticketId ? `/tickets/${encodeURIComponent(notice.ticketId)}` : undefined,
    };
    return this.repo.enqueue({
      tenantId: notice.tenantId,
      channel,
      address,
      subscriptionId: via.subscription?.id,
      userId: via.user?.userId,
      eventType: notice.event,
      dedupeKey: `${notice.key}:${channel}:${address}`,
      message,
      notBefore: via.notBefore,
    });
  }
}

/** The Message-ID every mail about a ticket refers to, so that replies can be threaded. */
export function ticketMessageId(ticketId: string): string {
  return `<ticket-${ticketId}@branchwatch>`;
}

function ticketEvent(row: TicketEventRow): NotifyEvent | undefined {
  if (row.kind === 'opened') return 'ticket.opened';
  if (row.kind === 'reply' && row.visibility === 'public') return 'ticket.replied';
  if (row.kind === 'resolved') return 'ticket.resolved';
  if (row.kind === 'sla_warning') return 'sla.warning';
  if (row.kind === 'sla_escalation') return 'sla.breach';
  if (row.kind === 'change' && row.field === 'assignee' && row.newValue) return 'ticket.assigned';
  if (row.kind === 'change' && row.field === 'state' && row.newValue === 'resolved')
    return 'ticket.resolved';
  return undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
